import { describe, expect, it } from 'vitest';
import { BackendPolicy, BackendTimeoutError, CircuitOpenError, type CircuitStateName } from '../../src/resilience/index.js';
import { BackendUnavailableError } from '../../src/backends/errors.js';
import { WrongExpectedRevisionError } from '../../src/eventstore/port.js';
import { DomainRuleError } from '../../src/domain/errors.js';

const fast = { callTimeoutMs: 100, maxAttempts: 3, initialBackoffMs: 5, maxBackoffMs: 20, breakerThreshold: 3, halfOpenAfterMs: 200 };
const down = () => new BackendUnavailableError('test store', 'connection refused');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A backend call that fails its first `failures` times, then answers 'ok'. */
function flaky(failures: number, error: () => Error = down) {
  let calls = 0;
  const call = async () => {
    calls += 1;
    if (calls <= failures) throw error();
    return 'ok';
  };
  return { call, calls: () => calls };
}

describe('retry', () => {
  it('given two transient failures, when called with three attempts, then it answers after retrying', async () => {
    const policy = new BackendPolicy('test store', fast);
    const backend = flaky(2);
    await expect(policy.run(backend.call)).resolves.toBe('ok');
    expect(backend.calls()).toBe(3);
  });

  it('given a backend that stays down, when called, then it gives up after the bounded attempts with BackendUnavailableError', async () => {
    const policy = new BackendPolicy('test store', { ...fast, breakerThreshold: 10 });
    const backend = flaky(Infinity);
    await expect(policy.run(backend.call)).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(backend.calls()).toBe(3);
  });

  it.each([
    ['a version conflict', () => new WrongExpectedRevisionError('s-1', 0, 1)],
    ['a domain refusal', () => new DomainRuleError('no')],
    ['a bug', () => new TypeError('undefined is not a function')],
  ])('given %s, when called, then it is not retried and the breaker does not count it', async (_name, error) => {
    const policy = new BackendPolicy('test store', { ...fast, breakerThreshold: 1 });
    const backend = flaky(1, error);
    await expect(policy.run(backend.call)).rejects.toThrow();
    expect(backend.calls()).toBe(1);
    expect(policy.circuit).toBe('closed');
  });

  it('given a non-repeatable call, when it fails transiently, then `once` does not try again', async () => {
    const policy = new BackendPolicy('test store', fast);
    const backend = flaky(1);
    await expect(policy.once(backend.call)).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(backend.calls()).toBe(1);
  });
});

describe('timeout', () => {
  it('given a call that hangs, when called, then it fails with BackendTimeoutError after the timeout of each attempt', async () => {
    const policy = new BackendPolicy('test store', { ...fast, maxAttempts: 2, breakerThreshold: 10 });
    let calls = 0;
    const started = Date.now();
    const hang = () => {
      calls += 1;
      return new Promise<string>(() => undefined);
    };
    await expect(policy.run(hang)).rejects.toBeInstanceOf(BackendTimeoutError);
    const elapsed = Date.now() - started;
    expect(calls).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(2 * fast.callTimeoutMs - 10);
    expect(elapsed).toBeLessThan(2 * fast.callTimeoutMs + 400);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, refuses at once while open, lets one probe through when half-open, and closes on its success', async () => {
    const policy = new BackendPolicy('test store', { ...fast, maxAttempts: 1 });
    const transitions: CircuitStateName[] = [];
    policy.onCircuitChange((state) => transitions.push(state));
    const backend = flaky(3);

    for (let i = 0; i < 3; i++) await expect(policy.run(backend.call)).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(policy.circuit).toBe('open');

    const refusedAt = Date.now();
    const refusal = await policy.run(backend.call).catch((error: unknown) => error);
    expect(Date.now() - refusedAt).toBeLessThan(20);
    expect(refusal).toBeInstanceOf(CircuitOpenError);
    expect(refusal).toBeInstanceOf(BackendUnavailableError);
    expect((refusal as CircuitOpenError).retryAfterSeconds).toBe(1);
    expect(backend.calls()).toBe(3);

    await sleep(fast.halfOpenAfterMs + 20);
    await expect(policy.run(backend.call)).resolves.toBe('ok');
    expect(backend.calls()).toBe(4);
    expect(policy.circuit).toBe('closed');
    expect(transitions).toEqual(['open', 'half_open', 'closed']);
  });

  it('reopens when the half-open probe fails', async () => {
    const policy = new BackendPolicy('test store', { ...fast, maxAttempts: 1, breakerThreshold: 1 });
    const backend = flaky(2);
    await expect(policy.run(backend.call)).rejects.toBeInstanceOf(BackendUnavailableError);
    await sleep(fast.halfOpenAfterMs + 20);
    await expect(policy.run(backend.call)).rejects.not.toBeInstanceOf(CircuitOpenError);
    expect(policy.circuit).toBe('open');
    await expect(policy.run(backend.call)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(backend.calls()).toBe(2);
  });

  it('does not retry a refusal of the open breaker', async () => {
    const policy = new BackendPolicy('test store', { ...fast, maxAttempts: 3, breakerThreshold: 1 });
    const backend = flaky(Infinity);
    await expect(policy.run(backend.call)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(backend.calls()).toBe(1);
  });
});
