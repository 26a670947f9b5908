import type { z } from 'zod';
import type { StoredEvent } from '../eventstore/port.js';
import { requirementEventSchema } from '../domain/requirement/index.js';
import { featureEventSchema } from '../domain/feature/index.js';
import { buildEventSchema } from '../domain/build/index.js';
import { deploymentEventSchema } from '../domain/deployment/index.js';
import { incidentEventSchema } from '../domain/incident/index.js';
import { testPlanEventSchema } from '../domain/testplan/index.js';
import { pipelineEventSchema } from '../domain/pipeline/index.js';
import { readMetadata, type EventMetadata } from './metadata.js';
import { parseStreamName } from './stream-names.js';

/** Each aggregate's events: the discriminated union of `{ type, data }` its decider evolves. */
export const eventSchemasByAggregate = {
  requirement: requirementEventSchema,
  feature: featureEventSchema,
  build: buildEventSchema,
  deployment: deploymentEventSchema,
  incident: incidentEventSchema,
  testplan: testPlanEventSchema,
  pipeline: pipelineEventSchema,
};

export type AggregateName = keyof typeof eventSchemasByAggregate;
/** One aggregate's events as its decider evolves them. */
export type EventOf<Aggregate extends AggregateName> = z.infer<(typeof eventSchemasByAggregate)[Aggregate]>;

/** Every event the domain records, `{ type, data }`, inferred from the aggregates' zod schemas. */
export type RecordedEvent = EventOf<AggregateName>;
export type EventType = RecordedEvent['type'];
export type EventData<Type extends EventType> = Extract<RecordedEvent, { type: Type }>['data'];

/** A stored event as projections and agents read it: its metadata read, its stream name split. */
export interface LoggedEvent<Type extends string = string, Data = unknown> {
  id: string;
  streamName: string;
  aggregateType: string;
  aggregateId: string;
  type: Type;
  revision: number;
  position: bigint;
  data: Data;
  metadata: Partial<EventMetadata>;
  recordedAt: Date;
}

/** A logged event whose data has its type's shape; a union of types stays a discriminated union. */
export type TypedEvent<Type extends EventType = EventType> = Type extends EventType ? LoggedEvent<Type, EventData<Type>> : never;

/** The event type names of one aggregate, in the order its schema declares them. */
export function eventTypesOf(aggregate: AggregateName): EventType[] {
  return eventSchemasByAggregate[aggregate].options.map((option) => option.shape.type.value);
}

const typesByAggregate = new Map(Object.keys(eventSchemasByAggregate).map((aggregate) => [aggregate, new Set<string>(eventTypesOf(aggregate as AggregateName))]));

/** The event as its aggregate's decider sees it; null when it is not one of that aggregate's events. */
export function aggregateEventOf<Aggregate extends AggregateName>(aggregate: Aggregate, event: LoggedEvent): EventOf<Aggregate> | null {
  if (event.aggregateType !== aggregate || !typesByAggregate.get(aggregate)!.has(event.type)) return null;
  return { type: event.type, data: event.data } as EventOf<Aggregate>;
}

/** Narrows a logged event to one type, typing its data. */
export function isEventOfType<Type extends EventType>(event: LoggedEvent, type: Type): event is TypedEvent<Type> {
  return event.type === type;
}

/**
 * The one place a stored event becomes a typed one. Its data is not parsed again: events are
 * checked against their schema when appended and reach readers in their current shape, and a
 * parse per event per reader would cost more than every handler together. Metadata is read
 * leniently (see readMetadata), since events written by other tools may lack fields.
 */
export function decodeEvent(stored: StoredEvent): LoggedEvent {
  const { aggregateType, id: aggregateId } = parseStreamName(stored.streamName);
  return {
    id: stored.id,
    streamName: stored.streamName,
    aggregateType,
    aggregateId,
    type: stored.type,
    revision: stored.revision,
    position: stored.position,
    data: stored.data,
    metadata: readMetadata(stored.metadata),
    recordedAt: stored.recordedAt,
  };
}

/** Handlers keyed by the event type they handle; each receives that type's typed event. */
export type EventHandlers<Context> = { [Type in EventType]?: (event: TypedEvent<Type>, context: Context) => Promise<void> };

/** Runs the handler of the event's type, if there is one. */
export function dispatchEvent<Context>(handlers: EventHandlers<Context>, event: LoggedEvent, context: Context): Promise<void> {
  const handler = handlers[event.type as EventType] as ((event: LoggedEvent, context: Context) => Promise<void>) | undefined;
  return handler ? handler(event, context) : Promise.resolve();
}

/** The event types a handler map handles: its keys. */
export function handledTypes<Context>(handlers: EventHandlers<Context>): EventType[] {
  return Object.keys(handlers) as EventType[];
}
