import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { openapiRoute } from '../openapi-route.js';
import { problemResponse } from '../problem.js';
import { consistencyQuery, documentSchema, idParam, pageQuery, pageSchema } from '../schemas.js';
import { definedOnly, itemResponse, listResponse } from '../read-models.js';

export interface ReadModelRouteSpec {
  /** URL segment and tag, e.g. 'features'. */
  path: string;
  /** Logical read model, e.g. 'features'. */
  readModel: string;
  /** The collection's natural filters: each an equality on an indexed field. */
  filters: z.ZodObject<Record<string, z.ZodType>>;
  /** Path parameter schema of the item route (ULID ids by default). */
  itemParam?: z.ZodObject<{ id: z.ZodType<string> }>;
}

const errors = {
  400: problemResponse('invalid query'),
  401: problemResponse('no or bad token'),
  504: problemResponse('read model did not reach consistentWith in time'),
};

/** GET /api/<path> (filtered, paginated, newest first) and GET /api/<path>/{id}. */
export function readModelRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps, spec: ReadModelRouteSpec): void {
  const listQuery = pageQuery.extend(spec.filters.shape);
  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: `/api/${spec.path}`,
      tags: [spec.path],
      summary: `List ${spec.path}, newest first`,
      request: { query: listQuery },
      responses: { 200: { description: 'a page', content: { 'application/json': { schema: pageSchema } } }, ...errors },
    }),
    async (c) => {
      const { limit, cursor, consistentWith, ...filters } = c.req.valid('query') as z.infer<typeof pageQuery> & Record<string, unknown>;
      return listResponse(c, deps, spec.readModel, { limit, cursor, consistentWith }, definedOnly(filters));
    },
  );
  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: `/api/${spec.path}/{id}`,
      tags: [spec.path],
      summary: `One of ${spec.path} by id (ETag: its revision)`,
      request: { params: spec.itemParam ?? idParam, query: consistencyQuery },
      responses: {
        200: { description: 'the read model document', content: { 'application/json': { schema: documentSchema } } },
        404: problemResponse('unknown id'),
        ...errors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param') as { id: string };
      const { consistentWith } = c.req.valid('query') as z.infer<typeof consistencyQuery>;
      return itemResponse(c, deps, spec.readModel, id, consistentWith);
    },
  );
}
