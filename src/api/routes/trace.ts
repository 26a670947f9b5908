import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { openapiRoute } from '../openapi-route.js';
import { problemResponse } from '../problem.js';
import { ULID } from '../schemas.js';
import { commandTrace } from '../command-trace.js';

const traceParam = z.object({
  commandId: z.string().regex(ULID, 'must be a ULID').openapi({ param: { name: 'commandId', in: 'path' } }),
});

const traceSchema = z
  .object({ correlationId: z.string(), truncated: z.boolean(), root: z.record(z.string(), z.unknown()).openapi({ description: 'the command: its events, each with the commands it caused, and so on' }),
    joined: z.array(z.record(z.string(), z.unknown())).openapi({ description: 'other trees of the same correlation (commands not caused by an event of this tree)' }),
  })
  .openapi('CommandTrace');

export function registerTraceRoute(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/commands/{commandId}/trace',
      tags: ['commands'],
      summary: 'The causation tree of a command across aggregates: its events, the agents that reacted, their commands and events',
      request: { params: traceParam },
      responses: {
        200: { description: 'the tree', content: { 'application/json': { schema: traceSchema } } },
        404: problemResponse('unknown command'),
      },
    }),
    async (c) => {
      const { commandId } = c.req.valid('param') as z.infer<typeof traceParam>;
      const trace = await commandTrace(deps, commandId);
      return c.json(trace);
    },
  );
}
