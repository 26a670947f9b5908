import type { CommandIdSet } from './command-ids.js';

/** What the command pipeline knows of a stream at one revision. */
export interface StreamState {
  state: unknown;
  /** Revision of the last event folded in; -1 for a missing stream. */
  revision: number;
  /** Global position of that event (0n for a missing stream). */
  position: bigint;
  /** The command ids of every event up to `revision`. */
  commandIds: CommandIdSet;
}

/**
 * Aggregate state by stream, cache-aside. An entry is never trusted as current: a load reads the
 * stream from the entry's revision + 1 (streams are append-only, so a cached prefix is only ever
 * extended, never wrong), which costs one indexed read of nothing when it is already at the head.
 * Bounded in streams, least recently used first out.
 */
export class AggregateCache {
  private readonly entries = new Map<string, StreamState>();

  constructor(private readonly maxStreams = 5_000) {}

  get(stream: string): StreamState | undefined {
    const entry = this.entries.get(stream);
    if (entry) {
      // Most recently used last, so the first key is the one to evict.
      this.entries.delete(stream);
      this.entries.set(stream, entry);
    }
    return entry;
  }

  /** Keeps the furthest state seen: a slower concurrent reader never moves an entry back. */
  set(stream: string, entry: StreamState): void {
    const current = this.entries.get(stream);
    if (current && current.revision > entry.revision) return;
    this.entries.delete(stream);
    if (this.entries.size >= this.maxStreams) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(stream, entry);
  }
}
