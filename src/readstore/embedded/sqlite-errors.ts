// Which SQLite failures mean "the store is unavailable" (the API answers 503) rather than
// a bug or a bad request, and which mean a collection simply does not exist yet.
import Database from 'better-sqlite3';
import { BackendUnavailableError } from '../../backends/errors.js';

const BACKEND = 'read store';

/** Busy beyond the timeout, disk trouble, a file that cannot be opened or is not a database. */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|NOTADB|CORRUPT|PERM)/;

export function unavailable(message: string, cause?: unknown): BackendUnavailableError {
  return new BackendUnavailableError(BACKEND, message, { cause });
}

export function asUnavailableWhenItIs(error: unknown): unknown {
  if (error instanceof Database.SqliteError && UNAVAILABLE_CODES.test(error.code)) {
    return unavailable(error.message, error);
  }
  return error;
}

/** Collections are created on first write, so reading one that was never written finds this. */
export function isMissingTable(error: unknown): boolean {
  return error instanceof Database.SqliteError && /^no such table: /.test(error.message);
}
