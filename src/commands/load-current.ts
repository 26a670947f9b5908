import type { EventStore } from '../eventstore/port.js';
import type { Decider, DomainEvent } from '../domain/decider.js';
import { streamName } from '../events/stream-names.js';
import type { AggregateCache, StreamState } from './aggregate-cache.js';
import { CommandIdSet } from './command-ids.js';
import type { LoadedAggregate } from './load-aggregate.js';
import { DEFAULT_SNAPSHOT_EVERY, snapshotDue, type SnapshotStore } from './snapshots.js';

/** An aggregate at its stream's head, as a command decides on it (no history kept). */
export interface CurrentAggregate<State> {
  id: string;
  state: State;
  /** Revision of the last event; -1 when the stream does not exist. */
  revision: number;
  /** Global position of the last event (0n when the stream does not exist). */
  position: bigint;
  /** Every command id that appended to the stream (see CommandIdSet: a yes is to be checked). */
  commandIds: CommandIdSet;
}

type Folding<State> = Pick<Decider<State, unknown, DomainEvent, unknown>, 'aggregateType' | 'initialState' | 'evolve'>;

export interface CurrentSources {
  cache?: AggregateCache;
  snapshots?: SnapshotStore;
  /** Snapshots are read and written with this version only. */
  stateVersion?: number;
  /** A snapshot is written each time a stream passes a multiple of this many events (0: never). */
  snapshotEvery?: number;
  /** Snapshot writes run beside the command; each one started is added here until it settles. */
  writing?: Set<Promise<void>>;
}

/**
 * The aggregate at the head of its stream: from the cache, else from a snapshot, else from the
 * start, then every event after that revision read from the store. Whatever the starting point,
 * the events read forward make it current.
 */
export async function loadCurrent<State>(
  store: EventStore,
  decider: Folding<State>,
  id: string,
  sources: CurrentSources = {},
): Promise<CurrentAggregate<State>> {
  const stream = streamName(decider.aggregateType, id);
  const cached = sources.cache?.get(stream);
  const start = cached ?? (await readSnapshot(stream, sources)) ?? emptyStream(decider.initialState);
  const events = await store.readStream(stream, start.revision >= 0 ? { fromRevision: start.revision + 1 } : {});
  if (events.length === 0) {
    // A snapshot at the head is as good as a cache entry from now on.
    if (!cached && start.revision >= 0) sources.cache?.set(stream, start);
    return { id, ...(start as StreamState & { state: State }) };
  }
  let state = start.state as State;
  for (const event of events) {
    state = decider.evolve(state, { type: event.type, data: event.data });
    const commandId = event.metadata.commandId;
    if (typeof commandId === 'string') start.commandIds.add(commandId);
  }
  const last = events[events.length - 1]!;
  const current: StreamState = { state, revision: last.revision, position: last.position, commandIds: start.commandIds };
  rememberState(stream, start.revision, current, sources);
  return { id, ...(current as StreamState & { state: State }) };
}

async function readSnapshot(stream: string, sources: CurrentSources): Promise<StreamState | undefined> {
  if (!sources.snapshots) return undefined;
  // A snapshot that cannot be read is as good as none: the stream itself answers.
  return sources.snapshots.read(stream, sources.stateVersion ?? 1).catch(() => undefined);
}

/** Caches the stream's new state and snapshots it when it passed a multiple of `snapshotEvery`. */
export function rememberState(stream: string, before: number, after: StreamState, sources: CurrentSources): void {
  sources.cache?.set(stream, after);
  const { snapshots, writing } = sources;
  if (!snapshots || !snapshotDue(before, after.revision, sources.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY)) return;
  // Off the command's path: a snapshot only saves later loads time, so a failed one is dropped.
  const write = snapshots.write(stream, sources.stateVersion ?? 1, after).catch(() => undefined);
  writing?.add(write);
  void write.finally(() => writing?.delete(write));
}

export function emptyStream(initialState: unknown): StreamState {
  return { state: initialState, revision: -1, position: 0n, commandIds: CommandIdSet.empty() };
}

/** Reads another aggregate's current state for a command's facts (through the same cache). */
export type StateReader = <State>(decider: Folding<State>, id: string) => Promise<CurrentAggregate<State>>;

/** The head of a stream loaded whole (undo, revert, a retry after a conflict), as a command sees it. */
export function currentOf<State>(loaded: LoadedAggregate<State>): CurrentAggregate<State> {
  const commandIds = CommandIdSet.empty();
  for (const event of loaded.events) if (typeof event.metadata.commandId === 'string') commandIds.add(event.metadata.commandId);
  return { id: loaded.id, state: loaded.state, revision: loaded.revision, position: loaded.events.at(-1)?.position ?? 0n, commandIds };
}
