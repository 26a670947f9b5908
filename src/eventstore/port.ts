// The event store port: everything the rest of the system needs from an event log.
// Adapters: embedded SQLite (src/eventstore/sqlite) and EventStoreDB (src/eventstore/esdb).
// Every adapter must pass test/contracts/event-store.contract.ts unchanged.

/** Revisions count from 0 like EventStoreDB's: the first event of a stream is revision 0. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export type EventMetadata = Record<string, unknown>;

export interface EventToAppend {
  /** UUID: EventStoreDB requires event ids to be UUIDs. */
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export interface StoredEvent {
  id: string;
  streamName: string;
  type: string;
  /** Position of the event in its stream, gapless from 0. */
  revision: number;
  /** Position in the global log: strictly increasing; comparable across streams. */
  position: bigint;
  data: unknown;
  metadata: EventMetadata;
  recordedAt: Date;
}

export interface AppendResult {
  /** Revision of the last event appended (the stream's new revision). */
  nextRevision: number;
  /** Global position of the last event appended. */
  position: bigint;
}

export interface ReadStreamOptions {
  /** Start revision (inclusive). Default: the start (forwards) or the end (backwards). */
  fromRevision?: number;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events strictly after this position; null or undefined reads from the start. */
  after?: bigint | null;
  maxCount?: number;
  /** Only streams whose name starts with this prefix, e.g. 'deployment-'. */
  streamPrefix?: string;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this checkpoint; null delivers from the start of the log. */
  after: bigint | null;
  /** Called with ordered batches; the next batch waits until the returned promise settles. */
  onBatch(events: StoredEvent[]): Promise<void>;
  maxBatchSize?: number;
}

export interface Subscription {
  /** Stops delivering; resolves once no onBatch call is running. */
  stop(): Promise<void>;
  /** Settles when the subscription ends: resolves after stop(), rejects on an unrecoverable error. */
  readonly done: Promise<void>;
}

export interface EventStore {
  /** Appends atomically; the events are durable before the promise resolves. */
  append(streamName: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  /** A missing stream reads as an empty array. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** The global log in position order, user events only (no system events). */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** Position of the last event in the log, null when the log is empty. */
  headPosition(): Promise<bigint | null>;
  /** Catch-up subscription to the global log: reads history after the checkpoint, then goes live. */
  subscribeToAll(options: SubscribeOptions): Subscription;
  /** Throws BackendUnavailableError when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision, or 'no_stream' when it does not exist. */
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}
