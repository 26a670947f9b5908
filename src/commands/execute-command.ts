import { randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError, type EventStore, type EventToAppend } from '../eventstore/port.js';
import type { Decider, DomainEvent } from '../domain/decider.js';
import { AggregateNotFoundError } from '../domain/errors.js';
import { loadAggregate, type LoadedAggregate } from './load-aggregate.js';
import { SCHEMA_VERSION, type CommandContext, type EventMetadata } from '../events/metadata.js';
import { streamName } from '../events/stream-names.js';
import { ContentionError, RevisionMismatchError } from './errors.js';
import { formatPosition } from '../events/positions.js';
import { ledgerVersioning } from '../events/upcasting/ledger-versioning.js';
import { context as otelContext, type Context } from '@opentelemetry/api';
import { inSpan, inSpanSync } from '../observability/tracing.js';

export interface CommandResult {
  id: string;
  aggregateType: string;
  revision: number;
  /** Opaque log position the command reached (for ?consistentWith). */
  position: string;
  commandId: string;
  events: string[];
  created: boolean;
}

export interface ExecuteOptions<State, Command, Facts> {
  id: string;
  command: Command;
  /** Command type as recorded in metadata, e.g. 'feature.update'. */
  commandType: string;
  context: CommandContext;
  /** A creating command runs on a missing stream; any other answers 404 there. */
  creates?: boolean;
  /** Loads the decider's facts (from the event store, or the stream just loaded); runs on every attempt. */
  loadFacts: (loaded: LoadedAggregate<State>) => Promise<Facts>;
  clock?: () => Date;
  /** Runs between deciding and appending (see AggregateIO.beforeAppend). */
  beforeAppend?: (facts: Facts, metadata: EventMetadata) => Promise<void>;
  /** The command's span: load, decide and append are traced under it (the active context by default). */
  trace?: Context;
}

const MAX_ATTEMPTS = 5;

/**
 * The command pipeline: load by replay → decide → append with the expected revision.
 * Without If-Match a version conflict is retried on fresh state (the decision may change);
 * with If-Match the client asked for exactly that revision, so a conflict is theirs to resolve.
 */
export async function executeCommand<State, Command, Event extends DomainEvent, Facts>(
  store: EventStore,
  decider: Decider<State, Command, Event, Facts>,
  options: ExecuteOptions<State, Command, Facts>,
): Promise<CommandResult> {
  const { id, context } = options;
  const stream = streamName(decider.aggregateType, id);
  const clock = options.clock ?? (() => new Date());
  const parent = options.trace ?? otelContext.active();

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const loaded = await inSpan('load', () => loadAggregate(store, decider, id), { parent });
    const earlier = earlierResult(decider.aggregateType, loaded, context);
    if (earlier) return earlier;
    if (loaded.revision < 0 && !options.creates) throw new AggregateNotFoundError(decider.aggregateType, id);
    if (context.expectedRevision !== undefined && context.expectedRevision !== loaded.revision) {
      throw new RevisionMismatchError(context.expectedRevision, loaded.revision);
    }
    const facts = await options.loadFacts(loaded);
    const events = inSpanSync('decide', () => decider.decide(options.command, loaded.state, facts), parent);

    if (events.length === 0) {
      const last = loaded.events.at(-1);
      return result(decider.aggregateType, id, loaded.revision, last?.position ?? 0n, context, [], false);
    }

    const metadata = commandMetadata(context, options.commandType, clock);
    try {
      await options.beforeAppend?.(facts, metadata);
      const appended = await inSpan('append', () => store.append(stream, toAppend(events, metadata), loaded.revision < 0 ? 'no_stream' : loaded.revision), { parent });
      const types = events.map((event) => event.type);
      return result(decider.aggregateType, id, appended.nextRevision, appended.position, context, types, loaded.revision < 0);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (context.expectedRevision !== undefined) {
        throw new RevisionMismatchError(context.expectedRevision, typeof error.actual === 'number' ? error.actual : -1);
      }
    }
  }
  throw new ContentionError(stream, MAX_ATTEMPTS);
}

/**
 * A command id appends at most once to a stream: running it again (a retry whose first outcome
 * was unknown, e.g. after a timeout) answers with what it appended the first time.
 */
export function earlierResult(aggregateType: string, loaded: LoadedAggregate<unknown>, context: CommandContext): CommandResult | undefined {
  const earlier = loaded.events.filter((event) => event.metadata.commandId === context.commandId);
  if (earlier.length === 0) return undefined;
  const last = earlier[earlier.length - 1]!;
  const types = earlier.map((event) => event.type);
  return result(aggregateType, loaded.id, last.revision, last.position, context, types, earlier[0]!.revision === 0);
}

/** What every event a command appends carries about it. */
export function commandMetadata(context: CommandContext, commandType: string, clock: () => Date): EventMetadata {
  return {
    actor: context.actor,
    actorRole: context.actorRole,
    commandId: context.commandId,
    commandType,
    correlationId: context.correlationId,
    causationId: context.causationId,
    at: clock().toISOString(),
    schemaVersion: SCHEMA_VERSION,
    ...(context.undoOf ? { undoOf: context.undoOf } : {}),
    ...(context.traceparent ? { traceparent: context.traceparent } : {}),
  };
}

/** Each event is written in its type's current schema version. */
export function toAppend(events: DomainEvent[], metadata: EventMetadata): EventToAppend[] {
  return events.map((event) => ({
    id: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: { ...metadata, schemaVersion: ledgerVersioning.upcasters.currentVersion(event.type) },
  }));
}

export function result(
  aggregateType: string,
  id: string,
  revision: number,
  position: bigint,
  context: CommandContext,
  events: string[],
  created: boolean,
): CommandResult {
  return { id, aggregateType, revision, position: formatPosition(position), commandId: context.commandId, events, created };
}
