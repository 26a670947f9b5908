// Group commit: a durable commit costs one fsync whatever its size, so appends queued within
// the same turn of the event loop share one BEGIN IMMEDIATE transaction. Each append is
// checked in queue order inside it (a later append sees an earlier one's events) and only
// the appends that fail are rejected; every promise settles after COMMIT.
import Database from 'better-sqlite3';
import { type AppendResult, type ExpectedRevision, WrongExpectedRevisionError } from '../port.js';
import { categoryOf, type EventRow } from './event-rows.js';
import { checkExpectedRevision } from './expected-revision.js';
import { toEventStoreError } from './sqlite-errors.js';

/** Bounds how long one transaction holds the write lock (and blocks the event loop). */
const MAX_APPENDS_PER_TRANSACTION = 1_000;

export interface SerializedEvent {
  id: string;
  type: string;
  /** JSON text. */
  data: string;
  /** JSON text. */
  metadata: string;
}

export interface AppendRequest {
  streamName: string;
  expected: ExpectedRevision;
  events: SerializedEvent[];
}

/** An event id is already in the log (ids are unique across all streams). */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly streamName: string,
    options?: { cause?: unknown },
  ) {
    super(`stream ${streamName}: an event with one of these ids is already stored`, options);
    this.name = 'DuplicateEventIdError';
  }
}

type Outcome = { ok: true; result: AppendResult; rows: EventRow[] } | { ok: false; error: unknown };

interface QueuedAppend {
  request: AppendRequest;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export class GroupCommitWriter {
  private readonly queue: QueuedAppend[] = [];
  private scheduledFlush: NodeJS.Immediate | null = null;
  private transactions = 0;
  private readonly appendOne: Database.Transaction<(request: AppendRequest, recordedAt: string) => EventRow[]>;
  private readonly commitBatch: Database.Transaction<(batch: AppendRequest[], recordedAt: string) => Outcome[]>;

  constructor(
    db: Database.Database,
    /** Called after each commit with the rows it added, in position order. */
    private readonly onCommitted: (rows: EventRow[]) => void,
  ) {
    const lastRevision = db.prepare<[string], { revision: number | null }>(
      'SELECT MAX(revision) AS revision FROM events WHERE stream_name = ?',
    );
    const insert = db
      .prepare(
        `INSERT INTO events (stream_name, revision, category, id, type, data, metadata, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .safeIntegers(true);

    // Called inside commitBatch, better-sqlite3 runs this in a savepoint, so a failing append
    // is rolled back alone. The revision is re-read under the write lock rather than cached,
    // which keeps the check right when another process writes the same file.
    this.appendOne = db.transaction((request: AppendRequest, recordedAt: string): EventRow[] => {
      const current = lastRevision.get(request.streamName)?.revision ?? null;
      checkExpectedRevision(request.streamName, request.expected, current);
      const category = categoryOf(request.streamName);
      let revision = current ?? -1;
      return request.events.map((event) => {
        revision++;
        const { lastInsertRowid } = insert.run(
          request.streamName,
          revision,
          category,
          event.id,
          event.type,
          event.data,
          event.metadata,
          recordedAt,
        );
        return {
          position: BigInt(lastInsertRowid),
          stream_name: request.streamName,
          revision: BigInt(revision),
          id: event.id,
          type: event.type,
          data: event.data,
          metadata: event.metadata,
          recorded_at: recordedAt,
        };
      });
    });

    this.commitBatch = db.transaction((batch: AppendRequest[], recordedAt: string) =>
      batch.map((request) => this.attempt(request, recordedAt)),
    );
  }

  /** Number of committed transactions, to observe how well appends are grouped. */
  get committedTransactions(): number {
    return this.transactions;
  }

  enqueue(request: AppendRequest): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.scheduledFlush ??= setImmediate(() => this.flush());
    });
  }

  /** Commits everything queued, now. */
  drain(): void {
    while (this.queue.length > 0) this.flush();
  }

  private flush(): void {
    if (this.scheduledFlush) clearImmediate(this.scheduledFlush);
    this.scheduledFlush = null;
    const batch = this.queue.splice(0, MAX_APPENDS_PER_TRANSACTION);
    if (this.queue.length > 0) this.scheduledFlush = setImmediate(() => this.flush());
    if (batch.length === 0) return;

    let outcomes: Outcome[];
    try {
      outcomes = this.commitBatch.immediate(
        batch.map((queued) => queued.request),
        new Date().toISOString(),
      );
      this.transactions++;
    } catch (error) {
      const failure = toEventStoreError(error);
      for (const queued of batch) queued.reject(failure);
      return;
    }
    const committed: EventRow[] = [];
    batch.forEach((queued, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) {
        committed.push(...outcome.rows);
        queued.resolve(outcome.result);
      } else {
        queued.reject(outcome.error);
      }
    });
    this.onCommitted(committed);
  }

  /** The append's own failures become its outcome; anything else aborts the whole transaction. */
  private attempt(request: AppendRequest, recordedAt: string): Outcome {
    try {
      const rows = this.appendOne(request, recordedAt);
      const last = rows[rows.length - 1]!;
      return { ok: true, result: { nextRevision: Number(last.revision), position: last.position }, rows };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return { ok: false, error };
      if (isDuplicateEventId(error)) return { ok: false, error: new DuplicateEventIdError(request.streamName, { cause: error }) };
      throw error;
    }
  }
}

function isDuplicateEventId(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    error.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes('events.id')
  );
}
