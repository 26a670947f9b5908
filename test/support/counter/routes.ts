import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from '../../../src/api/deps.js';
import type { ApiEnv } from '../../../src/api/request-context.js';
import { commandRoute } from '../../../src/api/routes/command-route.js';
import { readModelRoutes } from '../../../src/api/routes/read-model-route.js';
import { revertSchema } from '../../../src/domain/shared/schemas.js';
import { addToCounterSchema, counter, openCounterSchema } from './index.js';

// The counter's HTTP route declarations, as src/api/routes/<aggregates>.ts declares a real one's.
// Its GET /api/counters/{id}?revision|at and /history replay the stream; it has no read model.
export function registerCounterRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  const base = { aggregate: counter, method: 'post' } as const;
  commandRoute(app, deps, { ...base, path: '/api/counters', commandType: 'open', body: openCounterSchema, summary: 'Open a counter' });
  commandRoute(app, deps, { ...base, path: '/api/counters/{id}/add', commandType: 'add', body: addToCounterSchema, summary: 'Add to a counter' });
  commandRoute(app, deps, { ...base, path: '/api/counters/{id}/revert', commandType: 'revert', body: revertSchema, summary: 'Revert a counter' });
  readModelRoutes(app, deps, { path: 'counters', readModel: 'counters', aggregate: counter, filters: z.object({}) });
}
