// The durable transaction of a group commit, run by the commit worker on the connection it owns.
// Each append is checked in queue order inside one BEGIN IMMEDIATE transaction (a later append
// sees an earlier one's events) and only the appends that fail are rolled back.
import Database from 'better-sqlite3';
import { WrongExpectedRevisionError } from '../port.js';
import type { AppendOutcome, AppendRequest } from './commit-protocol.js';
import { categoryOf } from './event-rows.js';
import { checkExpectedRevision } from './expected-revision.js';

export type CommitBatch = (batch: AppendRequest[], recordedAt: string) => AppendOutcome[];

export function prepareCommitBatch(db: Database.Database): CommitBatch {
  const lastRevision = db.prepare<[string], { revision: number | null }>(
    'SELECT MAX(revision) AS revision FROM events WHERE stream_name = ?',
  );
  const insert = db
    .prepare(
      `INSERT INTO events (stream_name, revision, category, id, type, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .safeIntegers(true);

  // Called inside the batch transaction, better-sqlite3 runs this in a savepoint, so a failing
  // append is rolled back alone. The revision is re-read under the write lock rather than cached,
  // which keeps the check right when another process writes the same file.
  const appendOne = db.transaction((request: AppendRequest, recordedAt: string): AppendOutcome => {
    const current = lastRevision.get(request.streamName)?.revision ?? null;
    checkExpectedRevision(request.streamName, request.expected, current);
    const category = categoryOf(request.streamName);
    let revision = current ?? -1;
    let firstPosition: bigint | null = null;
    for (const event of request.events) {
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
      firstPosition ??= BigInt(lastInsertRowid);
    }
    return { ok: true, firstPosition: firstPosition!, lastRevision: revision };
  });

  /** The append's own failures become its outcome; anything else aborts the whole transaction. */
  const attempt = (request: AppendRequest, recordedAt: string): AppendOutcome => {
    try {
      return appendOne(request, recordedAt);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        return { ok: false, reason: 'wrong-expected-revision', actual: error.actual };
      }
      if (isDuplicateEventId(error)) {
        return { ok: false, reason: 'duplicate-event-id', message: (error as Error).message };
      }
      throw error;
    }
  };

  const commitBatch = db.transaction((batch: AppendRequest[], recordedAt: string) =>
    batch.map((request) => attempt(request, recordedAt)),
  );
  return (batch, recordedAt) => commitBatch.immediate(batch, recordedAt);
}

function isDuplicateEventId(error: unknown): boolean {
  return (
    error instanceof Database.SqliteError &&
    error.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes('events.id')
  );
}
