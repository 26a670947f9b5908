import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process, served on /metrics. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'agent_ledger_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'agent_ledger_http_request_duration_seconds',
      help: 'HTTP request duration by method and route',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    commands: new Counter({
      name: 'agent_ledger_commands_total',
      help: 'Commands by type and outcome',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    projectionLag: new Gauge({
      name: 'agent_ledger_projection_lag_events',
      help: 'Events between the head of the log and each projection checkpoint',
      labelNames: ['projection'] as const,
      registers: [registry],
    }),
    projectionRebuildProgress: new Gauge({
      name: 'agent_ledger_projection_rebuild_progress_ratio',
      help: 'Share of the log (0..1) applied to the generation being rebuilt; 0 when no rebuild runs',
      labelNames: ['projection'] as const,
      registers: [registry],
    }),
    projectionRebuildRate: new Gauge({
      name: 'agent_ledger_projection_rebuild_events_per_second',
      help: 'Events per second read by the rebuild running for each projection; 0 when none runs',
      labelNames: ['projection'] as const,
      registers: [registry],
    }),
    readModelDelay: new Histogram({
      name: 'agent_ledger_read_model_delay_seconds',
      help: 'From an event being recorded (just before its commit) to its projection writing it to the read model, by projection',
      labelNames: ['projection'] as const,
      buckets: [0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
    projectionParked: new Gauge({
      name: 'agent_ledger_projection_parked_events',
      help: 'Events parked by the live generation of each projection after their handler kept failing',
      labelNames: ['projection'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
