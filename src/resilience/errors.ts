import { BackendUnavailableError } from '../backends/errors.js';

/** A backend call took longer than its timeout; whether it took effect is unknown. */
export class BackendTimeoutError extends BackendUnavailableError {
  constructor(backend: string, readonly timeoutMs: number) {
    super(backend, `no answer within ${timeoutMs} ms`);
    this.name = 'BackendTimeoutError';
  }
}

/**
 * The backend's circuit breaker is open: the call was refused without trying, so nothing
 * happened. Callers answer 503 with Retry-After set to when the breaker lets a probe through.
 */
export class CircuitOpenError extends BackendUnavailableError {
  constructor(backend: string, readonly retryAfterSeconds: number) {
    super(backend, `circuit breaker open after repeated failures; retry in ${retryAfterSeconds} s`);
    this.name = 'CircuitOpenError';
  }
}

/** A bulkhead was full: the work was not started and may be tried again later. */
export class WorkRejectedError extends Error {
  constructor(readonly bulkhead: string) {
    super(`the ${bulkhead} bulkhead is full`);
    this.name = 'WorkRejectedError';
  }
}

/** Failures worth trying again later: the backend may come back, the bulkhead may drain. */
export function isTransient(error: unknown): boolean {
  return error instanceof BackendUnavailableError || error instanceof WorkRejectedError;
}
