// Resilience around every backend call, so a backend that is down answers 503 with Retry-After:
// timeouts, retries with jittered backoff, a circuit breaker per backend, and bulkheads for
// background work; built on cockatiel.
export { BackendPolicy, type CircuitStateName } from './backend-policy.js';
export { ResilientEventStore } from './resilient-event-store.js';
export { ResilientReadStore } from './resilient-read-store.js';
export { WorkBulkhead, createWorkBulkheads } from './bulkhead.js';
export { BackendTimeoutError, CircuitOpenError, isTransient } from './errors.js';
export { registerCircuitGauge } from './circuit-gauge.js';
export type { ResilienceOptions } from './resilience-options.js';
