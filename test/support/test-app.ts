import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp } from '../../src/api/app.js';
import { issueToken } from '../../src/auth/tokens.js';
import type { Role } from '../../src/auth/roles.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { ProjectionService } from '../../src/projections/projection-service.js';
import { allProjections } from '../../src/projections/read-models/index.js';
import { CommandBus } from '../../src/commands/command-bus.js';
import { openBackends, type Backends } from '../../src/app/backends.js';
import { loadEnv } from '../../src/config/env.js';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123456789';

export interface TestApp {
  backends: Backends;
  projections: ProjectionService;
  token(role: Role, sub?: string): Promise<string>;
  /** Sends a request through the app in-process; JSON bodies are serialised for you. */
  request(method: string, path: string, options?: { role?: Role | null; sub?: string; body?: unknown; headers?: Record<string, string> }): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** The whole API on fresh embedded backends (or the ones named by env overrides). */
export async function startTestApp(envOverrides: Record<string, string> = {}, options: { rateLimit?: { rps: number; burst: number } } = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-api-'));
  const env = loadEnv({ DATA_DIR: dataDir, AUTH_SECRET: TEST_SECRET, ...envOverrides });
  const backends = await openBackends(env);
  const logger = pino({ level: 'silent' });
  const projections = new ProjectionService(backends.events, backends.readStore, allProjections(), { run: true, logger });
  await projections.start();
  const app = createApp({
    events: backends.events,
    commands: new CommandBus(backends.events),
    readStore: backends.readStore,
    projections,
    logger,
    metrics: createMetrics(),
    authSecret: TEST_SECRET,
    rateLimit: options.rateLimit ?? { rps: 0, burst: 0 },
    bodyLimitBytes: 64 * 1024,
    backends: backends.describe,
  });
  const token = (role: Role, sub = `${role}-user`) => issueToken(TEST_SECRET, sub, role);
  return {
    backends,
    projections,
    token,
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
      await projections.stop();
      await backends.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
