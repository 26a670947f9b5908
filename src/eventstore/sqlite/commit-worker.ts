// The commit worker: a thread that owns the event log's write connection, so the fsync of each
// durable commit happens here and never blocks the main thread's event loop. It answers each
// batch only after COMMIT has returned, that is after the WAL is synced (synchronous = FULL).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { type CommitReply, type CommitRequest, type CommitWorkerData, WORKER_READY } from './commit-protocol.js';
import { prepareCommitBatch } from './commit-transaction.js';
import { openEventDatabase } from './schema.js';

if (!parentPort) throw new Error('commit-worker.ts runs as a worker thread');
const port = parentPort;
const { file } = workerData as CommitWorkerData;

// A file that cannot be opened throws here, which ends the worker with an error event: the main
// thread fails the pending appends as unavailable.
const db = openEventDatabase(file);
const commitBatch = prepareCommitBatch(db);

port.on('message', (message: CommitRequest | 'close') => {
  if (message === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: CommitReply;
  try {
    reply = { id: message.id, committed: true, outcomes: commitBatch(message.batch, message.recordedAt) };
  } catch (error) {
    const failure =
      error instanceof Database.SqliteError
        ? { message: error.message, code: error.code }
        : { message: error instanceof Error ? error.message : String(error) };
    reply = { id: message.id, committed: false, failure };
  }
  port.postMessage(reply);
});
port.postMessage(WORKER_READY);
