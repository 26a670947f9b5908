// The SQLite file behind the embedded read store: one table per collection, created on
// first write, holding (id, doc as JSON text). Owns the connection, the prepared statement
// cache and the rules for transactions, missing tables and unavailability.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Statement } from 'better-sqlite3';
import { asUnavailableWhenItIs, isMissingTable, unavailable } from './sqlite-errors.js';
import { collectionOfTable, quoteIdentifier, tableName } from './names.js';
import { WalCheckpointer } from './wal-checkpointer.js';

/** Waiting this long for another process's write lock is "unavailable", not a hang. */
const BUSY_TIMEOUT_MS = 5_000;
/** Finds build SQL from the filter's shape, so the number of distinct statements stays small. */
const MAX_CACHED_STATEMENTS = 500;
const PAGE_CACHE_KIB = 32 * 1024;
/** The WAL is cut back to this size after the checkpoints (run by WalCheckpointer, off this thread). */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

export function openDocumentDatabase(file: string): DocumentDatabase {
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    // Read models are rebuilt from the event log, so losing the last commits to a power
    // cut is acceptable; NORMAL spares an fsync per transaction.
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    if (file === ':memory:') return new DocumentDatabase(db);
    // Checkpoints run on a thread of their own, never inside a commit on this one.
    db.pragma('wal_autocheckpoint = 0');
    return new DocumentDatabase(db, new WalCheckpointer(file));
  } catch (error) {
    db?.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw unavailable(`cannot open ${file}: ${reason}`, error);
  }
}

export class DocumentDatabase {
  private readonly statements = new Map<string, Statement>();
  private readonly knownTables = new Set<string>();
  private readonly transaction: Database.Transaction<(work: () => unknown) => unknown>;

  constructor(
    private readonly db: Database.Database,
    private readonly checkpointer?: WalCheckpointer,
  ) {
    this.transaction = db.transaction((work: () => unknown) => work());
  }

  statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs a read; a collection that does not exist reads as `whenMissing`. */
  read<T>(whenMissing: T, work: () => T): T {
    return this.guarded(() => {
      try {
        return work();
      } catch (error) {
        if (isMissingTable(error)) return whenMissing;
        throw error;
      }
    });
  }

  /** Runs `work` in one write transaction, creating the collection first when it is missing. */
  writeCreating<T>(collection: string, work: () => T): T {
    return this.guarded(() => {
      try {
        this.createTableIfMissing(collection);
        return this.inWriteTransaction(work);
      } catch (error) {
        if (!isMissingTable(error)) throw error;
        // Another connection dropped it since this one created it: create it again, once.
        this.knownTables.delete(collection);
        this.createTableIfMissing(collection);
        return this.inWriteTransaction(work);
      }
    });
  }

  /** Runs `work` in one write transaction, creating the collections first where they are missing. */
  writeCreatingAll<T>(collections: string[], work: () => T): T {
    return this.guarded(() => {
      try {
        for (const collection of collections) this.createTableIfMissing(collection);
        return this.inWriteTransaction(work);
      } catch (error) {
        if (!isMissingTable(error)) throw error;
        for (const collection of collections) this.knownTables.delete(collection);
        for (const collection of collections) this.createTableIfMissing(collection);
        return this.inWriteTransaction(work);
      }
    });
  }

  /** Runs `work` in one write transaction; a missing collection has nothing to change. */
  writeExisting<T>(whenMissing: T, work: () => T): T {
    return this.read(whenMissing, () => this.inWriteTransaction(work));
  }

  dropTable(collection: string): void {
    this.guarded(() => {
      this.db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(tableName(collection))}`);
      this.knownTables.delete(collection);
    });
  }

  listCollections(): string[] {
    return this.guarded(() => {
      const rows = this.statement(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all() as Array<{ name: string }>;
      return rows.flatMap((row) => collectionOfTable(row.name) ?? []).sort();
    });
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  ping(): void {
    this.guarded(() => this.statement('SELECT 1').get());
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }

  private createTableIfMissing(collection: string): void {
    if (this.knownTables.has(collection)) return;
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(tableName(collection))} (id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL) STRICT`,
    );
    this.knownTables.add(collection);
  }

  /** IMMEDIATE takes the write lock up front, so a read-then-write never deadlocks another writer. */
  private inWriteTransaction<T>(work: () => T): T {
    return this.transaction.immediate(work) as T;
  }

  private guarded<T>(work: () => T): T {
    if (!this.db.open) throw unavailable('the store is closed');
    try {
      return work();
    } catch (error) {
      throw asUnavailableWhenItIs(error);
    }
  }
}
