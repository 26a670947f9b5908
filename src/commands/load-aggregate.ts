import type { EventStore, StoredEvent } from '../eventstore/port.js';
import type { Decider, DomainEvent } from '../domain/decider.js';
import { streamName } from '../events/stream-names.js';

export interface LoadedAggregate<State> {
  id: string;
  state: State;
  /** Revision of the last event; -1 when the stream does not exist. */
  revision: number;
  events: StoredEvent[];
}

/**
 * Rebuilds an aggregate by replaying its whole stream, keeping the events (undo, revert, time travel
 * and history need them; a command deciding on the head uses loadCurrent), optionally only up to a
 * revision or a time.
 */
export async function loadAggregate<State, Event extends DomainEvent>(
  store: EventStore,
  decider: Pick<Decider<State, unknown, Event, unknown>, 'aggregateType' | 'initialState' | 'evolve'>,
  id: string,
  limit: { toRevision?: number; at?: Date } = {},
): Promise<LoadedAggregate<State>> {
  const stream = streamName(decider.aggregateType, id);
  const events = await store.readStream(stream);
  let state = decider.initialState;
  let revision = -1;
  const applied: StoredEvent[] = [];
  for (const event of events) {
    if (limit.toRevision !== undefined && event.revision > limit.toRevision) break;
    if (limit.at !== undefined && recordedAt(event) > limit.at.getTime()) break;
    state = decider.evolve(state, { type: event.type, data: event.data } as Event);
    revision = event.revision;
    applied.push(event);
  }
  return { id, state, revision, events: applied };
}

/** The command's own timestamp when present (the store's clock otherwise). */
function recordedAt(event: StoredEvent): number {
  const at = event.metadata.at;
  return typeof at === 'string' ? Date.parse(at) : event.recordedAt.getTime();
}
