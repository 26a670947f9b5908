import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { openapiRoute } from '../openapi-route.js';
import { problemResponse } from '../problem.js';

const projectionStatusSchema = z
  .object({
    name: z.string(),
    version: z.number().int(),
    checkpoint: z.string().nullable(),
    lag: z.number().int(),
    status: z.string(),
    lastError: z.string().nullable(),
  })
  .openapi('ProjectionStatus');

export function registerProjectionRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/projections',
      tags: ['projections'],
      summary: 'Each projection: live version, checkpoint, lag (events behind the head) and status',
      responses: {
        200: { description: 'projections', content: { 'application/json': { schema: z.object({ items: z.array(projectionStatusSchema) }) } } },
        401: problemResponse('no or bad token'),
      },
    }),
    async (c) => c.json({ items: await deps.projections.status() }),
  );
}
