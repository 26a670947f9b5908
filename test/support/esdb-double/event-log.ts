// The double's storage: one in-memory transaction log ($all) plus a per-stream index, with
// EventStoreDB's write rules (expected revision, soft delete, tombstone, maximum append size).

/** EventStoreDB's long.MaxValue: the revision of a tombstone and the `$tb` of a soft-deleted stream. */
export const DELETED_STREAM_REVISION = 9_223_372_036_854_775_807n;
/** The server's default MaxAppendSize (1 MiB of event data and metadata per append). */
export const DEFAULT_MAX_APPEND_SIZE = 1_048_576;

export type ExpectedState =
  | { kind: 'any' }
  | { kind: 'no_stream' }
  | { kind: 'stream_exists' }
  | { kind: 'revision'; revision: bigint };

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

export interface LogRecord extends ProposedEvent {
  streamName: string;
  revision: bigint;
  /** Byte offset of the record in the log; for a non-transactional write commit == prepare. */
  position: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends in the `created` metadata. */
  createdTicks: bigint;
}

export type WriteOutcome =
  | { kind: 'success'; currentRevision: bigint | null; position: bigint | null }
  | { kind: 'wrong_expected_version'; currentRevision: bigint | null }
  | { kind: 'stream_deleted' }
  | { kind: 'too_large'; maxAppendSize: number };

/** Deletes carry no events, so they are never too large. */
export type DeleteOutcome = Exclude<WriteOutcome, { kind: 'too_large' }>;

export type StreamReadOutcome =
  | { kind: 'found'; records: LogRecord[] }
  | { kind: 'not_found' }
  | { kind: 'deleted' };

interface StreamState {
  records: LogRecord[];
  lastRevision: bigint | null;
  /** Revisions below this are hidden from stream reads (soft delete sets it to the max). */
  truncateBefore: bigint;
  tombstoned: boolean;
}

const RECORD_HEADER_BYTES = 84;
const encoder = new TextEncoder();

export class EventLog {
  /** The $all log in position order. */
  readonly records: LogRecord[] = [];
  private readonly streams = new Map<string, StreamState>();
  /** Every record by event id, for the idempotency check of re-sent appends. */
  private readonly committed = new Map<string, LogRecord>();
  private readonly listeners = new Set<() => void>();
  private nextPosition = 0n;

  constructor(
    private readonly maxAppendSize = DEFAULT_MAX_APPEND_SIZE,
    /** Called after every successful user append, like the server's system projections. */
    private readonly afterUserAppend: (log: EventLog, written: LogRecord[]) => void = () => {},
  ) {}

  /** Wakes the listener after every write; returns the function that removes it. */
  onWrite(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(streamName: string, expected: ExpectedState, events: ProposedEvent[]): WriteOutcome {
    const size = events.reduce((total, event) => total + event.data.length + event.customMetadata.length, 0);
    if (size > this.maxAppendSize) return { kind: 'too_large', maxAppendSize: this.maxAppendSize };
    const stream = this.stream(streamName);
    const decision = commitDecision(stream, streamName, expected, events, this.committed);
    if (decision.kind !== 'write') return decision;
    if (events.length === 0) return { kind: 'success', currentRevision: stream.lastRevision, position: null };

    const recreatesSoftDeleted = stream.truncateBefore === DELETED_STREAM_REVISION;
    const firstRevision = (stream.lastRevision ?? -1n) + 1n;
    const written = this.write(streamName, events);
    if (recreatesSoftDeleted) {
      // Writing to a soft-deleted stream recreates it: earlier revisions stay hidden.
      stream.truncateBefore = firstRevision;
      this.writeMetadata(streamName, `{"$tb":${firstRevision}}`);
    }
    this.afterUserAppend(this, written);
    this.notify();
    const last = written.at(-1)!;
    return { kind: 'success', currentRevision: last.revision, position: last.position };
  }

  /** Soft delete: the stream reads as not found, its events stay in $all, and it can be recreated. */
  softDelete(streamName: string, expected: ExpectedState): DeleteOutcome {
    const stream = this.stream(streamName);
    if (stream.tombstoned) return { kind: 'stream_deleted' };
    if (!satisfies(stream, expected)) return { kind: 'wrong_expected_version', currentRevision: stream.lastRevision };
    if (stream.lastRevision === null) return { kind: 'success', currentRevision: null, position: null };
    stream.truncateBefore = DELETED_STREAM_REVISION;
    const record = this.writeMetadata(streamName, `{"$tb":${DELETED_STREAM_REVISION}}`);
    this.notify();
    return { kind: 'success', currentRevision: stream.lastRevision, position: record.position };
  }

  /** Hard delete: a `$streamDeleted` record ends the stream for good. */
  tombstone(streamName: string, expected: ExpectedState): DeleteOutcome {
    const stream = this.stream(streamName);
    if (stream.tombstoned) return { kind: 'stream_deleted' };
    if (!satisfies(stream, expected)) return { kind: 'wrong_expected_version', currentRevision: stream.lastRevision };
    const record = this.writeRecord(streamName, DELETED_STREAM_REVISION, systemEvent('$streamDeleted', ''));
    stream.tombstoned = true;
    this.notify();
    return { kind: 'success', currentRevision: stream.lastRevision, position: record.position };
  }

  /** Writes without checks, as the server's own subsystems do. */
  writeSystemEvents(streamName: string, events: ProposedEvent[]): LogRecord[] {
    const written = this.write(streamName, events);
    this.notify();
    return written;
  }

  readStream(streamName: string): StreamReadOutcome {
    const stream = this.streams.get(streamName);
    if (stream?.tombstoned) return { kind: 'deleted' };
    const visible = stream?.records.filter((record) => record.revision >= stream.truncateBefore) ?? [];
    return visible.length === 0 ? { kind: 'not_found' } : { kind: 'found', records: visible };
  }

  isTombstoned(streamName: string): boolean {
    return this.streams.get(streamName)?.tombstoned ?? false;
  }

  /** Where the next record will be written: one past the end of the log. */
  get endPosition(): bigint {
    return this.nextPosition;
  }

  /** Position of the last record, or -1 for an empty log (the server's LastIndexedPosition). */
  get lastPosition(): bigint {
    return this.records.at(-1)?.position ?? -1n;
  }

  /**
   * A position inside the log that is not the start of a record: the server cannot read there.
   * The end of the log and anything beyond it read as empty instead.
   */
  isInsideARecord(position: bigint): boolean {
    if (position < 0n || position >= this.nextPosition) return false;
    const index = this.indexAfter(position) - 1;
    return index < 0 || this.records[index]!.position !== position;
  }

  /** Index in `records` of the first record whose position is strictly greater than `position`. */
  indexAfter(position: bigint): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.records[middle]!.position <= position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private write(streamName: string, events: ProposedEvent[]): LogRecord[] {
    const stream = this.stream(streamName);
    return events.map((event) => this.writeRecord(streamName, (stream.lastRevision ?? -1n) + 1n, event));
  }

  private writeMetadata(streamName: string, json: string): LogRecord {
    const [record] = this.write(`$$${streamName}`, [systemEvent('$metadata', json)]);
    return record!;
  }

  private writeRecord(streamName: string, revision: bigint, event: ProposedEvent): LogRecord {
    const stream = this.stream(streamName);
    const record: LogRecord = {
      ...event,
      streamName,
      revision,
      position: this.nextPosition,
      createdTicks: BigInt(Date.now()) * 10_000n,
    };
    // Positions are byte offsets, as in the real transaction log: increasing, never consecutive.
    this.nextPosition += BigInt(
      RECORD_HEADER_BYTES +
        encoder.encode(streamName).length +
        encoder.encode(event.type).length +
        event.data.length +
        event.customMetadata.length,
    );
    this.records.push(record);
    stream.records.push(record);
    this.committed.set(record.id, record);
    if (revision !== DELETED_STREAM_REVISION) stream.lastRevision = revision;
    return record;
  }

  private stream(streamName: string): StreamState {
    let stream = this.streams.get(streamName);
    if (!stream) {
      stream = { records: [], lastRevision: null, truncateBefore: 0n, tombstoned: false };
      this.streams.set(streamName, stream);
    }
    return stream;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

export function systemEvent(type: string, json: string, metadataJson = ''): ProposedEvent {
  return {
    id: crypto.randomUUID(),
    type,
    contentType: 'application/json',
    data: encoder.encode(json),
    customMetadata: encoder.encode(metadataJson),
  };
}

type CommitDecision = { kind: 'write' } | Exclude<WriteOutcome, { kind: 'too_large' }>;

/**
 * The server's commit check, in its order: a tombstoned stream refuses everything; 'stream_exists'
 * on a soft-deleted stream is StreamDeleted; then the idempotency check. Events whose ids already
 * sit in the stream where this append would have put them make the append "already done": it
 * answers the revision and position of that first write. A partial match is a wrong expected
 * version, as is an exact revision behind the stream whose events are not there.
 */
function commitDecision(
  stream: StreamState,
  streamName: string,
  expected: ExpectedState,
  events: ProposedEvent[],
  committed: Map<string, LogRecord>,
): CommitDecision {
  const softDeleted = stream.truncateBefore === DELETED_STREAM_REVISION;
  const current = stream.lastRevision;
  const wrong = { kind: 'wrong_expected_version', currentRevision: current } as const;
  if (stream.tombstoned) return { kind: 'stream_deleted' };
  if (expected.kind === 'stream_exists') {
    if (softDeleted) return { kind: 'stream_deleted' };
    if (current === null) return wrong;
  }
  if (expected.kind === 'any' || expected.kind === 'stream_exists') {
    const found = events.map((event) => committed.get(event.id));
    if (found.length === 0 || !found[0] || found[0].streamName !== streamName) return { kind: 'write' };
    if (found.some((record) => !record || record.streamName !== streamName)) return wrong;
    return alreadyDone(found.at(-1)!);
  }
  if (expected.kind === 'no_stream' && current === null) return { kind: 'write' };
  const expectedRevision = expected.kind === 'revision' ? expected.revision : -1n;
  const currentRevision = current ?? -1n;
  if (expectedRevision > currentRevision) return wrong;
  if (expectedRevision === currentRevision) return { kind: 'write' };
  if (events.length === 0) return wrong;
  for (const [offset, event] of events.entries()) {
    const record = stream.records.find((candidate) => candidate.revision === expectedRevision + 1n + BigInt(offset));
    if (record?.id === event.id) continue;
    if (offset === 0 && expected.kind === 'no_stream' && softDeleted) return { kind: 'write' };
    return wrong;
  }
  const last = stream.records.find((candidate) => candidate.revision === expectedRevision + BigInt(events.length));
  return alreadyDone(last!);
}

function alreadyDone(last: LogRecord): CommitDecision {
  return { kind: 'success', currentRevision: last.revision, position: last.position };
}

/** The expected-revision rule of deletes, which have no events to be idempotent about. */
function satisfies(stream: StreamState, expected: ExpectedState): boolean {
  const softDeleted = stream.truncateBefore === DELETED_STREAM_REVISION;
  switch (expected.kind) {
    case 'any':
      return true;
    case 'no_stream':
      return stream.lastRevision === null || softDeleted;
    case 'stream_exists':
      return stream.lastRevision !== null && !softDeleted;
    case 'revision':
      return stream.lastRevision === expected.revision;
  }
}
