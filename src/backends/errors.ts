/**
 * A backend could not be reached; callers answer 503 with Retry-After. Shared by the event store
 * and read store adapters, so neither port depends on the other.
 */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${backend} unavailable: ${message}`, options);
    this.name = 'BackendUnavailableError';
  }
}
