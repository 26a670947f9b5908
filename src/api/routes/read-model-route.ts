import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { openapiRoute } from '../openapi-route.js';
import { consistencyTimeoutResponse, problemResponse } from '../problem.js';
import { consistencyQuery, documentSchema, idParam, pageQuery, pageSchema, queryInteger } from '../schemas.js';
import { definedOnly, itemResponse, listResponse } from '../read-models.js';
import { stateAsOf, streamHistory } from '../time-travel.js';
import type { AggregateModule } from '../../domain/aggregate.js';
import { numericCursorQuery } from '../cursor.js';

export interface ReadModelRouteSpec {
  /** URL segment and tag, e.g. 'features'. */
  path: string;
  /** Logical read model, e.g. 'features'. */
  readModel: string;
  /** The collection's natural filters: each an equality on an indexed field. */
  filters: z.ZodObject<Record<string, z.ZodType>>;
  /** The aggregate behind the read model: enables ?revision / ?at time travel and /history. */
  aggregate?: AggregateModule;
}

const asOfQuery = consistencyQuery.extend({
  revision: queryInteger(0, 999_999_999_999_999).optional().openapi({ description: 'State as of this revision, replayed from the stream' }),
  at: z.iso.datetime({ offset: true }).optional().openapi({ description: 'State as of this time, replayed from the stream (with revision: that revision, as the stream stood then)' }),
});

const errors = {
  400: problemResponse('invalid query'),
  401: problemResponse('no or bad token'),
  504: consistencyTimeoutResponse,
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
      request: { params: idParam, query: spec.aggregate ? asOfQuery : consistencyQuery },
      responses: {
        200: { description: 'the read model document', content: { 'application/json': { schema: documentSchema } } },
        404: problemResponse('unknown id'),
        ...errors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param') as { id: string };
      const { consistentWith, revision, at } = c.req.valid('query') as z.infer<typeof asOfQuery>;
      if (spec.aggregate && (revision !== undefined || at !== undefined)) return stateAsOf(c, deps, spec.aggregate, id, { revision, at });
      return itemResponse(c, deps, spec.readModel, id, consistentWith);
    },
  );
  const { aggregate } = spec;
  if (!aggregate) return;
  const historyQuery = z.object({ limit: queryInteger(1, 500).default(100), cursor: numericCursorQuery(15).optional() });
  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: `/api/${spec.path}/{id}/history`,
      tags: [spec.path],
      summary: "The stream's events with revision, type, data and metadata, oldest first",
      request: { params: idParam, query: historyQuery },
      responses: { 200: { description: 'a page of events', content: { 'application/json': { schema: pageSchema } } }, 404: problemResponse('unknown id'), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param') as { id: string };
      return streamHistory(c, deps, aggregate, id, c.req.valid('query') as z.infer<typeof historyQuery>);
    },
  );
}
