// The embedded event store: one SQLite file, shared safely by several processes (the API,
// the projection worker, the CLI). Appends are durable before they are acknowledged; their
// commits run on a worker thread, while reads use this thread's own connection (WAL lets them
// run beside a commit and see every commit that was acknowledged).
import type Database from 'better-sqlite3';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from '../port.js';
import { CatchUpSubscription } from './catch-up-subscription.js';
import { EVENT_COLUMNS, type EventRow, categoryOf, toStoredEvent } from './event-rows.js';
import { assertValidExpectedRevision } from './expected-revision.js';
import { CommitWorker } from './commit-worker-client.js';
import { GroupCommitWriter, type SerializedEvent } from './group-commit.js';
import { LogTail } from './log-tail.js';
import { openEventDatabase } from './schema.js';
import { guarded, unavailable } from './sqlite-errors.js';

/** SQLite reads a negative LIMIT as "no limit". */
const NO_LIMIT = -1;
/** Positions are rowids, which start at 1. */
const BEFORE_FIRST_POSITION = 0n;

type Statement<Params extends unknown[], Row> = Database.Statement<Params, Row>;

function prepareQueries(db: Database.Database) {
  const select = <Params extends unknown[], Row>(sql: string): Statement<Params, Row> =>
    db.prepare<Params, Row>(sql).safeIntegers(true);
  return {
    streamForwards: select<[string, number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_name = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    ),
    streamBackwards: select<[string, number, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_name = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    ),
    all: select<[bigint, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    ),
    // A prefix containing '-' lies within one category, so the (category, position) index applies.
    allInCategoryWithPrefix: select<[string, bigint, number, string, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE category = ? AND position > ? AND substr(stream_name, 1, ?) = ?
       ORDER BY position LIMIT ?`,
    ),
    allWithPrefix: select<[bigint, number, string, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE position > ? AND substr(stream_name, 1, ?) = ?
       ORDER BY position LIMIT ?`,
    ),
    head: select<[], { position: bigint | null }>('SELECT MAX(position) AS position FROM events'),
  };
}

function assertCount(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

function serialize(event: EventToAppend): SerializedEvent {
  return {
    id: event.id,
    type: event.type,
    data: JSON.stringify(event.data ?? null),
    metadata: JSON.stringify(event.metadata ?? {}),
  };
}

export class SqliteEventStore implements EventStore {
  private readonly queries: ReturnType<typeof prepareQueries>;
  private readonly writer: GroupCommitWriter;
  private readonly commitListeners = new Set<() => void>();
  private readonly subscriptions = new Set<CatchUpSubscription>();
  /** The newest rows, for live subscriptions; filled by this process's commits. */
  private readonly tail = new LogTail();
  /** 'closing': appends are refused while pending ones are flushed and subscriptions stop. */
  private state: 'open' | 'closing' | 'closed' = 'open';

  constructor(
    private readonly db: Database.Database,
    private readonly commitWorker: CommitWorker,
  ) {
    this.queries = prepareQueries(db);
    this.writer = new GroupCommitWriter(commitWorker, (rows) => {
      this.tail.committed(rows);
      for (const listener of this.commitListeners) listener();
    });
  }

  /** Number of durable transactions committed by this instance (group commit makes it small). */
  get committedTransactions(): number {
    return this.writer.committedTransactions;
  }

  async append(streamName: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.state !== 'open') throw unavailable('the store is closed');
    if (events.length === 0) throw new RangeError(`stream ${streamName}: an append needs at least one event`);
    assertValidExpectedRevision(expected);
    // Serializing here, not in the transaction, keeps a bad payload from touching the batch.
    return this.writer.enqueue({ streamName, expected, events: events.map(serialize) });
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    assertCount('fromRevision', options.fromRevision);
    assertCount('maxCount', options.maxCount);
    const limit = options.maxCount ?? NO_LIMIT;
    const rows = this.guardedRead(() =>
      options.direction === 'backwards'
        ? this.queries.streamBackwards.all(streamName, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
        : this.queries.streamForwards.all(streamName, options.fromRevision ?? 0, limit),
    );
    return rows.map(toStoredEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    assertCount('maxCount', options.maxCount);
    return this.readAllNow(options.after ?? null, options.maxCount ?? NO_LIMIT, options.streamPrefix);
  }

  async headPosition(): Promise<bigint | null> {
    return this.guardedRead(() => this.queries.head.get()?.position ?? null);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const subscription = new CatchUpSubscription(
      {
        readPage: (after, maxCount) => this.readLogPage(after, maxCount),
        onCommit: (listener) => {
          this.commitListeners.add(listener);
          return () => this.commitListeners.delete(listener);
        },
      },
      options,
    );
    this.subscriptions.add(subscription);
    void subscription.done.finally(() => this.subscriptions.delete(subscription)).catch(() => {});
    return subscription;
  }

  async ping(): Promise<void> {
    await this.headPosition();
  }

  /** Commits pending appends, stops subscriptions, then closes the file. */
  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    await this.writer.drain();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.commitWorker.close();
    this.db.close();
    this.state = 'closed';
  }

  /** A subscription's next page: from the tail when it holds the rows, else from the file. */
  private readLogPage(after: bigint | null, maxCount: number): StoredEvent[] {
    const from = after ?? BEFORE_FIRST_POSITION;
    const held = this.tail.rowsAfter(from, maxCount);
    if (held && this.state !== 'closed') return held.map(toStoredEvent);
    const rows = this.guardedRead(() => this.queries.all.all(from, maxCount));
    this.tail.read(rows);
    return rows.map(toStoredEvent);
  }

  private readAllNow(after: bigint | null, limit: number, streamPrefix?: string): StoredEvent[] {
    const from = after ?? BEFORE_FIRST_POSITION;
    const rows = this.guardedRead(() => {
      if (!streamPrefix) return this.queries.all.all(from, limit);
      if (streamPrefix.includes('-')) {
        const category = categoryOf(streamPrefix);
        return this.queries.allInCategoryWithPrefix.all(category, from, streamPrefix.length, streamPrefix, limit);
      }
      return this.queries.allWithPrefix.all(from, streamPrefix.length, streamPrefix, limit);
    });
    return rows.map(toStoredEvent);
  }

  private guardedRead<T>(read: () => T): T {
    if (this.state === 'closed') throw unavailable('the store is closed');
    return guarded(read);
  }
}

/** Opens (creating if needed) the event log in `file`; a file that cannot be used is BackendUnavailableError. */
export function openSqliteEventStore(options: { file: string }): SqliteEventStore {
  let db: Database.Database;
  try {
    db = openEventDatabase(options.file);
  } catch (error) {
    // Everything that can fail here is about the file: missing rights, not a database, no space.
    const reason = error instanceof Error ? error.message : String(error);
    throw unavailable(`cannot open ${options.file}: ${reason}`, error);
  }
  return new SqliteEventStore(db, new CommitWorker(options.file, db));
}
