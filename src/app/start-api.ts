import { serve, type ServerType } from '@hono/node-server';
import { ConfigError, type Env } from '../config/env.js';
import { resolveAuthSecret } from '../config/auth-secret.js';
import { createApp } from '../api/app.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { ProjectionService } from '../projections/projection-service.js';
import { allProjections } from '../projections/read-models/index.js';
import { CommandBus } from '../commands/command-bus.js';
import { commandBusOptions } from '../commands/command-bus-options.js';
import { openBackends, type Backends } from './backends.js';
import { AgentService } from './agent-service.js';
import { createWorkBulkheads, registerCircuitGauge } from '../resilience/index.js';
import { waitForBackends } from './wait-for-backends.js';
import { answerClientErrors, httpServerOptions } from './http-server-limits.js';
import type { Server } from 'node:http';
import { inboundSettings } from '../integrations/inbound/settings.js';
import { LeaseStore } from '../leases/lease-store.js';
import { WorkLeases } from '../leases/work-leases.js';
import { SharedLogReader } from '../consumer/shared-log-reader.js';

// The console's local sign-in mints tokens for anyone who can reach it: this machine only.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export interface RunningApi {
  url: string;
  port: number;
  backends: Backends;
  projections: ProjectionService;
  /** The agents, running beside the projections (null when a worker runs them). */
  agents: AgentService | null;
  /**
   * Settles once projections (and agents) have started: they wait for the backends, while the
   * HTTP API already answers (503 while a backend is down). Rejects if starting them failed.
   */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the HTTP API. With `runProjections` (the embedded default) the same process also runs
 * the projections; otherwise a separate worker does and the API only reads their checkpoints.
 */
export async function startApi(env: Env, options: { runProjections: boolean }): Promise<RunningApi> {
  const logger = createLogger(env.LOG_LEVEL);
  const backends = await openBackends(env, logger);
  // Running projections here takes their leases like a worker would, so this process and any
  // worker started beside it never run the same projection or agent at once.
  const leases = options.runProjections ? new WorkLeases(new LeaseStore(backends.readStore), { logger }) : undefined;
  // One reader of the log for every projection and agent of this process.
  const feed = new SharedLogReader(backends.events, { logger });
  const projections = new ProjectionService(backends.events, backends.readStore, allProjections(), { run: options.runProjections, logger, leases, feed });
  // One bus for the API and the agents: it serialises deployment starts per environment.
  const commands = new CommandBus(backends.events, undefined, commandBusOptions(env, backends.readStore));
  // Background work is bounded so that live commands keep their latency (`rebuilds` is for rebuilds).
  const bulkheads = createWorkBulkheads();
  const agents = options.runProjections
    ? new AgentService({ events: backends.events, feed, readStore: backends.readStore, commands, projections, bulkhead: bulkheads.agents, logger, leases })
    : null;
  const stopping = new AbortController();
  const ready = (async () => {
    await waitForBackends(backends.describe, logger, stopping.signal);
    await projections.start();
    await agents?.start();
    await leases?.start();
  })();
  ready.catch(() => undefined);
  const metrics = createMetrics();
  registerCircuitGauge(metrics.registry, [backends.policies.events, backends.policies.readStore]);
  const app = createApp({
    events: backends.events,
    commands,
    readStore: backends.readStore,
    projections,
    logger,
    metrics,
    authSecret: resolveAuthSecret(env.AUTH_SECRET, env.DATA_DIR),
    rateLimit: { rps: env.RATE_LIMIT_RPS, burst: env.RATE_LIMIT_BURST },
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    backends: backends.describe,
    integrations: inboundSettings(env),
    localSignIn: env.AUTH_SECRET === undefined && !env.EVENTSTORE_URL && !env.MONGODB_URL && LOOPBACK.has(env.HOST),
  });
  const serverOptions = httpServerOptions({ headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST, serverOptions }, () => resolve(s));
    s.once('error', reject);
  }).catch(async (error: NodeJS.ErrnoException) => {
    stopping.abort();
    await ready.catch(() => undefined);
    await leases?.stop();
    await agents?.stop();
    await projections.stop();
    await backends.close();
    if (error.code === 'EADDRINUSE') throw new ConfigError(`PORT ${env.PORT} on ${env.HOST} is already in use: stop the other process or set PORT to a free port`);
    throw error;
  });
  answerClientErrors(server as Server);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  return {
    url: `http://localhost:${port}`,
    port,
    backends,
    projections,
    agents,
    ready,
    async stop() {
      stopping.abort();
      await ready.catch(() => undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await leases?.stop();
      await agents?.stop();
      await projections.stop();
      await backends.close();
    },
  };
}
