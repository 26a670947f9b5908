// Opens the SQLite file with the settings the event log relies on and creates its schema.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** How long a write waits for another process (a CLI, a worker) holding the file's write lock. */
const BUSY_TIMEOUT_MS = 5_000;

// `position` is the rowid: assigned under the write lock in commit order and, since nothing is
// ever deleted, gapless. A reader therefore never sees a later position before an earlier one.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position    INTEGER PRIMARY KEY,
    stream_name TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    category    TEXT    NOT NULL,
    id          TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    UNIQUE (stream_name, revision)
  );
  CREATE INDEX IF NOT EXISTS events_by_category ON events (category, position);
  CREATE TRIGGER IF NOT EXISTS events_are_never_updated BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
  CREATE TRIGGER IF NOT EXISTS events_are_never_deleted BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are immutable'); END;
`;

export function openEventDatabase(file: string): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // busy_timeout first: the other settings may have to wait for another process's lock.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    // FULL: the WAL is synced on every commit, so an acknowledged append survives a crash.
    db.pragma('synchronous = FULL');
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
