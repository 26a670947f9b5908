// Failures of the SQLite file itself mean the event store is unavailable (HTTP 503),
// unlike a rejected append, which is the caller's concern.
import Database from 'better-sqlite3';
import { BackendUnavailableError } from '../../backends/errors.js';

const BACKEND = 'event store';

const UNAVAILABLE_CODES = [
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_READONLY',
  'SQLITE_PERM',
  'SQLITE_PROTOCOL',
  'SQLITE_NOMEM',
  'SQLITE_AUTH',
];

function isUnavailable(error: unknown): boolean {
  if (error instanceof Database.SqliteError) {
    // Extended codes such as SQLITE_IOERR_WRITE start with their primary code.
    return UNAVAILABLE_CODES.some((code) => error.code.startsWith(code));
  }
  return error instanceof TypeError && error.message.includes('database connection is not open');
}

/** Wraps a failure of the file in BackendUnavailableError; anything else is returned unchanged. */
export function toEventStoreError(error: unknown): unknown {
  if (error instanceof BackendUnavailableError || !isUnavailable(error)) return error;
  return unavailable(error instanceof Error ? error.message : String(error), error);
}

export function unavailable(message: string, cause?: unknown): BackendUnavailableError {
  return new BackendUnavailableError(BACKEND, message, { cause });
}

/** Runs a synchronous database call, translating file failures. */
export function guarded<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw toEventStoreError(error);
  }
}
