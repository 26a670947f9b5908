import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';

const PROBE_TIMEOUT_MS = 2000;

/** /health (the process is up), /ready (its backends answer), /metrics (Prometheus). */
export function registerOperationalRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.get('/ready', async (c) => {
    const backends = await Promise.all(
      deps.backends.map(async (backend) => {
        try {
          await withTimeout(backend.ping(), PROBE_TIMEOUT_MS);
          return { name: backend.name, kind: backend.kind, status: 'up' as const, circuit: backend.circuit?.() };
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          return { name: backend.name, kind: backend.kind, status: 'down' as const, circuit: backend.circuit?.(), error: reason };
        }
      }),
    );
    const ready = backends.every((backend) => backend.status === 'up');
    if (!ready) c.header('retry-after', '5');
    return c.json({ status: ready ? 'ready' : 'unavailable', backends }, ready ? 200 : 503);
  });

  app.get('/metrics', async (c) => {
    for (const status of await deps.projections.status().catch(() => [])) {
      deps.metrics.projectionLag.set({ projection: status.name }, status.lag);
    }
    c.header('content-type', deps.metrics.registry.contentType);
    return c.body(await deps.metrics.registry.metrics());
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}
