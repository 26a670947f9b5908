// Translating the client's errors into the port's, and bounding every request in time.
import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  StreamDeletedError,
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

const INVALID_ARGUMENT = 3;

/**
 * A log position the server cannot read from: not the start of a record, e.g. a checkpoint kept
 * from another store or corrupted. Retrying cannot help, so it is never counted as an outage.
 */
export class InvalidLogPositionError extends Error {
  override name = 'InvalidLogPositionError';
  constructor(
    readonly position: bigint,
    options?: { cause?: unknown },
  ) {
    super(`event store: position ${position} is not the position of an event in the log`, options);
  }
}

/**
 * A subscription checkpoint beyond the last record of the log: the store lost events (restored
 * from an older backup) or the checkpoint belongs to another store. The server would silently skip
 * every new event up to the checkpoint, so the subscription refuses to start instead.
 */
export class CheckpointAheadOfLogError extends Error {
  override name = 'CheckpointAheadOfLogError';
  constructor(
    readonly checkpoint: bigint,
    readonly lastPosition: bigint | null,
  ) {
    super(
      `event store: checkpoint ${checkpoint} is ahead of the log, whose last record is at ${lastPosition ?? 'none (empty log)'}; ` +
        'the store has lost events or the checkpoint belongs to another store',
    );
  }
}

/**
 * The server could not read $all at the position asked for. 24.10 and later say so with
 * INVALID_ARGUMENT; 23.10 reports the failed read of its storage reader as an unknown result.
 */
export function isUnreadablePosition(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code === INVALID_ARGUMENT && /invalid position/i.test(error.message)) return true;
  return /Unexpected (Filtered)?ReadAllResult: Error/.test(error.message);
}

/** True for failures of the connection or the server that a retry may cure. */
export function isTransient(error: unknown): boolean {
  if (error instanceof BackendUnavailableError) return true;
  // The client wraps every status it has no class for, a bad argument included, as UnknownError.
  if ((error as { code?: unknown } | null)?.code === INVALID_ARGUMENT || isUnreadablePosition(error)) return false;
  if (error instanceof UnknownError && /Could not recognize BadRequest/.test(error.message)) return false;
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
  // The server answers 'stream_exists' on a soft-deleted stream with StreamDeleted; to the port such
  // a stream is missing (it reads as empty), so this is the conflict the port names for that case.
  if (error instanceof StreamDeletedError && append?.expected === 'stream_exists') {
    return new WrongExpectedRevisionError(append.streamName, append.expected, 'no_stream');
  }
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
