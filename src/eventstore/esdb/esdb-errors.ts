// Translating the client's errors into the port's, and bounding every request in time.
import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { BackendUnavailableError } from '../../backends/errors.js';
import { WrongExpectedRevisionError, type ExpectedRevision } from '../port.js';
import { toRevisionNumber } from './conversions.js';

export const BACKEND = 'event store';

// gRPC status codes that say "try again later": CANCELLED (by the server), UNKNOWN,
// DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, INTERNAL (e.g. a reset stream), UNAVAILABLE.
const TRANSIENT_GRPC_CODES = new Set([1, 2, 4, 8, 10, 13, 14]);

/** True for failures of the connection or the server that a retry may cure. */
export function isTransient(error: unknown): boolean {
  if (error instanceof BackendUnavailableError) return true;
  if (
    error instanceof UnavailableError ||
    error instanceof CancelledError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError ||
    error instanceof UnknownError
  ) {
    return true;
  }
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'number' && TRANSIENT_GRPC_CODES.has(code);
}

export function translateError(error: unknown, append?: { streamName: string; expected: ExpectedRevision }): unknown {
  if (error instanceof BackendUnavailableError || error instanceof WrongExpectedRevisionError) return error;
  if (error instanceof WrongExpectedVersionError && append) {
    const actual = error.actualVersion === 'no_stream' ? 'no_stream' : toRevisionNumber(error.actualVersion, append.streamName);
    return new WrongExpectedRevisionError(append.streamName, append.expected, actual);
  }
  if (isTransient(error)) {
    return new BackendUnavailableError(BACKEND, error instanceof Error ? error.message : String(error), { cause: error });
  }
  return error;
}

/**
 * Rejects with BackendUnavailableError when `work` takes longer than `timeoutMs`, after calling
 * `abandon` to release it. The client sets no deadline on reads and batch appends, and a host
 * that accepts connections but never answers would otherwise hang the caller.
 * A timed-out append may still have been written: its outcome is unknown, as with any 503.
 */
export function withDeadline<T>(work: Promise<T>, timeoutMs: number, abandon: () => void = () => {}): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  // Once the deadline wins, a late failure of `work` has nobody left to hear it.
  work.catch(() => undefined);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abandon();
      reject(new BackendUnavailableError(BACKEND, `no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
