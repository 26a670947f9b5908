import type { StoredEvent, Subscription } from '../eventstore/port.js';

/** What a processor of the log gets: the events it declared, and how far the log was read. */
export interface FeedBatch {
  /** The events after the processor's position of the types it handles, in log order. */
  events: StoredEvent[];
  /**
   * The position this batch reaches: the last event read, whether the processor handles it or
   * not. A processor's checkpoint moves here, so one that handles few types still keeps up.
   */
  through: bigint;
  /** True when the batch came from the shared live reader or reached the head of the log. */
  live: boolean;
}

export interface FeedOptions {
  /** Deliver events strictly after this position; null delivers from the start of the log. */
  after: bigint | null;
  /** The event types the processor handles; null for every type. */
  eventTypes: ReadonlySet<string> | null;
  /** Called with ordered batches; the next batch waits until the returned promise settles. */
  onBatch(batch: FeedBatch): Promise<void>;
  /** Events per batch while catching up on its own (default 500). */
  maxBatchSize?: number;
}

/** The log as the projections and agents of a process read it. */
export interface LogFeed {
  /** A processor's subscription: `done` rejects when onBatch throws or the log cannot be read. */
  subscribe(options: FeedOptions): Subscription;
}
