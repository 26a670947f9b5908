import { z } from 'zod';
import type { ReadStore } from '../readstore/port.js';
import { CommandIdSet } from './command-ids.js';
import type { StreamState } from './aggregate-cache.js';

/**
 * Where aggregate snapshots are kept. A snapshot is only a shortcut to a stream's state: every
 * answer is the same without it, so a store that loses or refuses snapshots costs speed only.
 */
export interface SnapshotStore {
  /** The stream's latest snapshot taken with this state version, if any. */
  read(stream: string, stateVersion: number): Promise<StreamState | undefined>;
  write(stream: string, stateVersion: number, snapshot: StreamState): Promise<void>;
}

/** The read store's collection of snapshots (one document per stream, the latest one). */
export const SNAPSHOT_COLLECTION = 'aggregate_snapshots';

const snapshotDocSchema = z.object({
  id: z.string(),
  stateVersion: z.number().int(),
  revision: z.number().int().min(0),
  position: z.string().regex(/^\d+$/),
  state: z.unknown(),
  commandIds: z.string(),
});

/**
 * Snapshots in the read store rather than in the event log: the log then holds domain events
 * only, so no log reader (projections, agents, history, audit, rebuilds) has anything to skip,
 * and the same code serves the embedded store and MongoDB.
 */
export class ReadStoreSnapshots implements SnapshotStore {
  constructor(private readonly readStore: ReadStore) {}

  async read(stream: string, stateVersion: number): Promise<StreamState | undefined> {
    const parsed = snapshotDocSchema.safeParse(await this.readStore.collection(SNAPSHOT_COLLECTION).get(stream));
    // Another state version folded the events with another evolve: its state is not ours to trust.
    if (!parsed.success || parsed.data.stateVersion !== stateVersion) return undefined;
    const commandIds = CommandIdSet.decode(parsed.data.commandIds);
    if (!commandIds) return undefined;
    return { state: parsed.data.state, revision: parsed.data.revision, position: BigInt(parsed.data.position), commandIds };
  }

  async write(stream: string, stateVersion: number, snapshot: StreamState): Promise<void> {
    await this.readStore.collection(SNAPSHOT_COLLECTION).put({
      id: stream,
      stateVersion,
      revision: snapshot.revision,
      position: snapshot.position.toString(),
      state: snapshot.state,
      commandIds: snapshot.commandIds.encode(),
    });
  }
}

/** Snapshot every this many events by default (SNAPSHOT_EVERY). */
export const DEFAULT_SNAPSHOT_EVERY = 100;

/** Whether the events from `before` to `after` (revisions) crossed a multiple of `every`. */
export function snapshotDue(before: number, after: number, every: number): boolean {
  return every > 0 && Math.floor((after + 1) / every) > Math.floor((before + 1) / every);
}
