import type { StoredEvent } from '../eventstore/port.js';

interface Entry {
  state: unknown;
  revision: number;
  events: StoredEvent[];
}

/**
 * Recently loaded aggregates, so a command reads only the events appended since (streams are
 * append-only, so a cached prefix never goes stale; it is only ever extended). Bounded in
 * streams, and long streams are not kept, so memory stays small.
 */
export class AggregateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxStreams = 5_000,
    private readonly maxEventsPerStream = 500,
  ) {}

  get(stream: string): Entry | undefined {
    const entry = this.entries.get(stream);
    if (entry) {
      // Most recently used last, so the first key is the one to evict.
      this.entries.delete(stream);
      this.entries.set(stream, entry);
    }
    return entry;
  }

  set(stream: string, entry: Entry): void {
    this.entries.delete(stream);
    if (entry.events.length > this.maxEventsPerStream) return;
    if (this.entries.size >= this.maxStreams) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(stream, entry);
  }
}
