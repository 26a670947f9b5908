// The messages between the main thread and the commit worker. Everything here crosses a
// structured clone, so outcomes are plain data; the main thread turns them back into errors.
import type { ExpectedRevision } from '../port.js';

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

export interface CommitRequest {
  id: number;
  batch: AppendRequest[];
  recordedAt: string;
}

/** One append's fate inside a committed transaction. */
export type AppendOutcome =
  | { ok: true; firstPosition: bigint; lastRevision: number }
  | { ok: false; reason: 'wrong-expected-revision'; actual: number | 'no_stream' }
  | { ok: false; reason: 'duplicate-event-id'; message: string };

/** The transaction as a whole failed (nothing of it is stored): the SQLite error, as data. */
export interface CommitFailure {
  message: string;
  /** A SQLite result code such as SQLITE_BUSY, when SQLite raised it. */
  code?: string;
}

export type CommitReply =
  | { id: number; committed: true; outcomes: AppendOutcome[] }
  | { id: number; committed: false; failure: CommitFailure };

/** The worker's first message: the file is open and it takes batches from now on. */
export const WORKER_READY = 'ready';

export interface CommitWorkerData {
  file: string;
}
