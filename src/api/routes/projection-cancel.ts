import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { openapiRoute } from '../openapi-route.js';
import { problem, problemResponse } from '../problem.js';
import { UnknownProjectionError } from '../../projections/rebuild/rebuild-errors.js';

const rebuildParam = z.object({
  name: z.string().min(1).max(100).openapi({ param: { name: 'name', in: 'path' }, description: "A projection's name, or `all`", example: 'features' }),
});

/** DELETE /api/projections/{name}/rebuild: cancel a requested or running rebuild (admin, app.ts). */
export function registerProjectionCancelRoute(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  openapiRoute(
    app,
    createRoute({
      method: 'delete',
      path: '/api/projections/{name}/rebuild',
      tags: ['projections'],
      summary: 'Cancel the rebuild of a projection (or `all`); the live generation keeps answering',
      request: { params: rebuildParam },
      responses: {
        200: { description: 'the projections whose rebuild was cancelled', content: { 'application/json': { schema: z.object({ cancelled: z.array(z.string()) }) } } },
        403: problemResponse('needs the admin role'),
        404: problemResponse('no such projection'),
      },
    }),
    async (c) => {
      const { name } = c.req.valid('param') as z.infer<typeof rebuildParam>;
      try {
        return c.json({ cancelled: await deps.projections.cancelRebuild(name) });
      } catch (error) {
        if (error instanceof UnknownProjectionError) return problem(404, error.message);
        throw error;
      }
    },
  );
}
