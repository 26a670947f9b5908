import { Gauge, type Registry } from 'prom-client';
import type { BackendPolicy, CircuitStateName } from './backend-policy.js';

const STATES: CircuitStateName[] = ['closed', 'half_open', 'open'];

/** agent_ledger_circuit_breaker_state{backend,state}: 1 for each backend's current state, 0 for the others. */
export function registerCircuitGauge(registry: Registry, policies: BackendPolicy[]): void {
  new Gauge({
    name: 'agent_ledger_circuit_breaker_state',
    help: 'Circuit breaker state per backend: 1 on the current state (closed, half_open, open)',
    labelNames: ['backend', 'state'] as const,
    registers: [registry],
    collect() {
      for (const policy of policies) {
        for (const state of STATES) this.set({ backend: policy.backend, state }, policy.circuit === state ? 1 : 0);
      }
    },
  });
}
