import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleType,
  handleWhen,
  retry,
  type CircuitBreakerPolicy,
  type RetryPolicy,
} from 'cockatiel';
import { BackendUnavailableError } from '../backends/errors.js';
import { BackendTimeoutError, CircuitOpenError } from './errors.js';
import { resilienceOptionsSchema, type ResilienceOptions, type ResolvedResilienceOptions } from './resilience-options.js';

export type CircuitStateName = 'closed' | 'open' | 'half_open';

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

/**
 * The guard around every call to one backend: a timeout per attempt, a circuit breaker shared by
 * all calls, and a bounded retry with jittered exponential backoff. Only BackendUnavailableError
 * counts as a failure: a domain refusal or a version conflict is an answer, not an outage. An
 * open breaker refuses at once with CircuitOpenError, which is never retried.
 */
export class BackendPolicy {
  readonly options: ResolvedResilienceOptions;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly retries: RetryPolicy;
  private openedAt = 0;

  constructor(
    readonly backend: string,
    options: ResilienceOptions = {},
  ) {
    this.options = resilienceOptionsSchema.parse(options);
    const { callTimeoutMs, maxAttempts, initialBackoffMs, maxBackoffMs, breakerThreshold, halfOpenAfterMs } = this.options;
    this.breaker = circuitBreaker(handleType(BackendUnavailableError), {
      halfOpenAfter: halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(breakerThreshold),
    });
    this.breaker.onBreak(() => {
      this.openedAt = Date.now();
    });
    this.retries = retry(
      handleWhen((error) => error instanceof BackendUnavailableError && !(error instanceof CircuitOpenError)),
      { maxAttempts: maxAttempts - 1, backoff: new ExponentialBackoff({ initialDelay: initialBackoffMs, maxDelay: maxBackoffMs }) },
    );
  }

  get circuit(): CircuitStateName {
    return STATE_NAMES[this.breaker.state];
  }

  onCircuitChange(listener: (state: CircuitStateName) => void): void {
    this.breaker.onStateChange((state) => listener(STATE_NAMES[state]));
  }

  /** A call that may safely run again: retried on transient failures. */
  run<T>(call: () => Promise<T>): Promise<T> {
    return this.retries.execute(() => this.once(call));
  }

  /** A single attempt: the breaker and the timeout apply, no retry. */
  async once<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await this.breaker.execute(() => this.withDeadline(call));
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw new CircuitOpenError(this.backend, this.retryAfterSeconds());
      throw error;
    }
  }

  /**
   * Rejects with BackendTimeoutError when the call has not settled in time (the call itself runs
   * on, as no backend call here can be cancelled). A plain timer rather than cockatiel's timeout:
   * that one builds an AbortController per call and aborts it on return, which cost about a tenth
   * of the CPU of a command.
   */
  private withDeadline<T>(call: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const { backend, options } = this;
      const timer = setTimeout(() => reject(new BackendTimeoutError(backend, options.callTimeoutMs)), options.callTimeoutMs);
      const answered = (value: T) => {
        clearTimeout(timer);
        resolve(value);
      };
      const failed = (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      };
      try {
        call().then(answered, failed);
      } catch (error) {
        failed(error);
      }
    });
  }

  private retryAfterSeconds(): number {
    const remainingMs = this.openedAt + this.options.halfOpenAfterMs - Date.now();
    return Math.max(1, Math.ceil(remainingMs / 1000));
  }
}
