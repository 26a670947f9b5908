import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { createApp } from '../../src/api/app.js';
import { issueToken } from '../../src/auth/tokens.js';
import type { Role } from '../../src/auth/roles.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { ProjectionService, type ProjectionServiceOptions } from '../../src/projections/projection-service.js';
import { allProjections } from '../../src/projections/read-models/index.js';
import type { Projection } from '../../src/projections/projection.js';
import { CommandBus } from '../../src/commands/command-bus.js';
import { commandBusOptions } from '../../src/commands/command-bus-options.js';
import type { RegisteredAggregate } from '../../src/commands/aggregate-io.js';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from '../../src/api/deps.js';
import type { ApiEnv } from '../../src/api/request-context.js';
import { openBackends, type BackendOptions, type Backends } from '../../src/app/backends.js';
import { AgentService, type AgentServiceOptions } from '../../src/app/agent-service.js';
import { createWorkBulkheads, registerCircuitGauge } from '../../src/resilience/index.js';
import { loadEnv } from '../../src/config/env.js';
import { inboundSettings } from '../../src/integrations/inbound/settings.js';
import { SharedLogReader } from '../../src/consumer/shared-log-reader.js';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface TestApp {
  backends: Backends;
  projections: ProjectionService;
  /** Running only when asked for with the `agents` option. */
  agents: AgentService | null;
  token(role: Role, sub?: string): Promise<string>;
  /** Sends a request through the app in-process; JSON bodies are serialised for you. */
  /** The app's own fetch, for responses read as streams (server-sent events). */
  fetch(request: Request): Promise<Response>;
  request(method: string, path: string, options?: { role?: Role | null; sub?: string; body?: unknown; headers?: Record<string, string> }): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
}

export interface TestAppOptions {
  rateLimit?: { rps: number; burst: number };
  /** Fault injection and resilience settings of the backends. */
  backends?: BackendOptions;
  /** Runs the agents in-process, as the embedded default does. */
  agents?: boolean | AgentServiceOptions;
  /** Runs on this data directory and leaves it in place on close (to restart on the same files). */
  dataDir?: string;
  /** Projection service settings (batch sizes, poll and stall periods; `run: false` to only observe). */
  projections?: Partial<ProjectionServiceOptions>;
  /** Projections to run instead of allProjections(). */
  withProjections?: Projection[];
  /** Aggregates the command bus knows instead of the registry's (a test may add its own). */
  aggregates?: readonly RegisteredAggregate[];
  /** Routes declared on top of the app's own (a test aggregate's). */
  routes?: (app: OpenAPIHono<ApiEnv>, deps: AppDeps) => void;
  /** Where the app logs (silent by default). */
  logger?: Logger;
}

/** The whole API on fresh embedded backends (or the ones named by env overrides). */
export async function startTestApp(envOverrides: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'agent-ledger-api-'));
  const env = loadEnv({ DATA_DIR: dataDir, AUTH_SECRET: TEST_SECRET, ...envOverrides });
  const backends = await openBackends(env, undefined, options.backends);
  const logger = options.logger ?? pino({ level: 'silent' });
  // One reader of the log for the projections and the agents, as in the app.
  const feed = new SharedLogReader(backends.events, { logger });
  const projections = new ProjectionService(backends.events, backends.readStore, options.withProjections ?? allProjections(), { run: true, logger, feed, ...options.projections });
  await projections.start();
  const commands = new CommandBus(backends.events, options.aggregates, commandBusOptions(env, backends.readStore));
  const agentOptions = options.agents === true ? {} : options.agents || null;
  const agents = agentOptions
    ? new AgentService({ events: backends.events, feed, readStore: backends.readStore, commands, projections, bulkhead: createWorkBulkheads().agents, logger }, agentOptions)
    : null;
  await agents?.start();
  const metrics = createMetrics();
  registerCircuitGauge(metrics.registry, [backends.policies.events, backends.policies.readStore]);
  const deps: AppDeps = {
    events: backends.events,
    commands,
    readStore: backends.readStore,
    projections,
    logger,
    metrics,
    authSecret: TEST_SECRET,
    rateLimit: options.rateLimit ?? { rps: 0, burst: 0 },
    bodyLimitBytes: 64 * 1024,
    backends: backends.describe,
    integrations: inboundSettings(env),
  };
  const app = createApp(deps);
  options.routes?.(app, deps);
  const token = (role: Role, sub = `${role}-user`) => issueToken(TEST_SECRET, sub, role);
  return {
    backends,
    projections,
    agents,
    token,
    fetch: async (request) => app.fetch(request),
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const role = options.role === undefined ? 'engineer' : options.role;
      if (role !== null && !('authorization' in headers)) headers.authorization = `Bearer ${await token(role, options.sub)}`;
      let body: string | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await app.fetch(new Request(`http://test${path}`, { method, headers, body }));
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON (e.g. /metrics)
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    async close() {
      await agents?.stop();
      await projections.stop();
      await backends.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
