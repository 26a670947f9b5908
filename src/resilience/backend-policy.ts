import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleType,
  handleWhen,
  retry,
  timeout,
  type CircuitBreakerPolicy,
  type RetryPolicy,
  type TimeoutPolicy,
} from 'cockatiel';
import { BackendUnavailableError } from '../eventstore/port.js';
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
  private readonly deadline: TimeoutPolicy;
  private openedAt = 0;

  constructor(
    readonly backend: string,
    options: ResilienceOptions = {},
  ) {
    this.options = resilienceOptionsSchema.parse(options);
    const { callTimeoutMs, maxAttempts, initialBackoffMs, maxBackoffMs, breakerThreshold, halfOpenAfterMs } = this.options;
    this.deadline = timeout(callTimeoutMs, TimeoutStrategy.Aggressive);
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

  private async withDeadline<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await this.deadline.execute(() => call());
    } catch (error) {
      if (error instanceof TaskCancelledError) throw new BackendTimeoutError(this.backend, this.options.callTimeoutMs);
      throw error;
    }
  }

  private retryAfterSeconds(): number {
    const remainingMs = this.openedAt + this.options.halfOpenAfterMs - Date.now();
    return Math.max(1, Math.ceil(remainingMs / 1000));
  }
}
