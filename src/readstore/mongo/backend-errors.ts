// Maps driver failures that mean "the server cannot be reached" to BackendUnavailableError,
// so callers answer 503 instead of 500; every other error passes through unchanged.
import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { BackendUnavailableError } from '../../backends/errors.js';

const BACKEND = 'read store';

/** Server error codes that say the server is shutting down or cannot take writes right now. */
const TRANSIENT_SERVER_CODES = new Set([
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
]);

function isUnreachable(error: unknown): boolean {
  if (
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoOperationTimeoutError ||
    error instanceof MongoServerClosedError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoNotConnectedError
  ) {
    return true;
  }
  return error instanceof MongoServerError && typeof error.code === 'number' && TRANSIENT_SERVER_CODES.has(error.code);
}

function toBackendError(error: unknown): unknown {
  if (error instanceof BackendUnavailableError || !isUnreachable(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BackendUnavailableError(BACKEND, message, { cause: error });
}

/** Runs one driver call, translating unreachability into BackendUnavailableError. */
export async function guarded<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toBackendError(error);
  }
}
