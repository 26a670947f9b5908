import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { AggregateNotFoundError, DomainConflictError, DomainRuleError, NotUndoableError } from '../domain/errors.js';
import { UndoConflictError } from '../commands/undo.js';
import { BackendUnavailableError } from '../backends/errors.js';
import { ContentionError, RevisionMismatchError } from '../commands/errors.js';
import { CircuitOpenError, WorkRejectedError } from '../resilience/errors.js';
import { problem } from './problem.js';

/** Errors the API raises itself, carrying their own status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Maps every error to problem+json. Known errors keep their status; anything unexpected is a
 * 500 without internals (the log has the stack), so a client never sees a stack trace.
 */
export function errorToResponse(error: unknown, c: Context, logger: Logger): Response {
  if (error instanceof ApiError) return problem(error.status, error.message, error.extra);
  if (error instanceof AggregateNotFoundError) return problem(404, error.message);
  if (error instanceof DomainRuleError) return problem(422, error.message, { reasons: error.reasons });
  if (error instanceof UndoConflictError) {
    return problem(409, error.message, { conflictingCommands: error.conflictingCommands, fields: error.fields });
  }
  if (error instanceof DomainConflictError) return problem(409, error.message);
  if (error instanceof NotUndoableError) return problem(422, error.message);
  if (error instanceof RevisionMismatchError) {
    return problem(409, error.message, { expectedRevision: error.expected, currentRevision: error.actual });
  }
  if (error instanceof ContentionError) return problem(409, error.message, { headers: { 'retry-after': '1' } });
  // The breaker knows when it will let a probe through: that is the honest Retry-After.
  if (error instanceof CircuitOpenError) return problem(503, error.message, { headers: { 'retry-after': String(error.retryAfterSeconds) } });
  if (error instanceof WorkRejectedError) return problem(503, error.message, { headers: { 'retry-after': '1' } });
  if (error instanceof BackendUnavailableError) {
    logger.warn({ err: error }, 'backend unavailable');
    return problem(503, error.message, { headers: { 'retry-after': '5' } });
  }
  if (error instanceof HTTPException) {
    if (error.status === 401) return problem(401, error.message || 'missing or invalid bearer token', { headers: { 'www-authenticate': 'Bearer' } });
    if (error.status === 413) return problem(413, 'request body is too large');
    if (error.status === 400) return problem(400, error.message || 'malformed request');
    return problem(error.status, error.message || 'request refused');
  }
  if (error instanceof SyntaxError) return problem(400, 'malformed JSON in request body');
  logger.error({ err: error, path: c.req.path }, 'unhandled error');
  return problem(500, 'internal error; it has been logged');
}
