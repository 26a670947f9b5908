import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { openapiRoute } from '../openapi-route.js';
import { problem, problemResponse } from '../problem.js';
import { decodeCursor, encodeCursor, numericCursorQuery } from '../cursor.js';
import { queryInteger } from '../schemas.js';
import { projectionStatusSchema, type ProjectionStatus } from '../../projections/projection-status.js';
import type { ParkedEvent } from '../../projections/projection-parking.js';
import type { Metrics } from '../../observability/metrics.js';
import { ProjectionNotWritableError, RebuildConflictError, UnknownProjectionError } from '../../projections/rebuild/rebuild-errors.js';

const nameParam = z.object({
  name: z.string().min(1).max(100).openapi({ param: { name: 'name', in: 'path' }, example: 'features' }),
});

const rebuildParam = z.object({
  name: z.string().min(1).max(100).openapi({ param: { name: 'name', in: 'path' }, description: "A projection's name, or `all`", example: 'all' }),
});

const rebuildTicketSchema = z
  .object({
    id: z.string(),
    projection: z.string(),
    state: z.enum(['requested', 'running']),
    reason: z.enum(['requested', 'version_changed']),
  })
  .openapi('RebuildTicket');

const parkedQuery = z.object({
  limit: queryInteger(1, 500).default(50),
  cursor: numericCursorQuery(30).optional(),
});

const parkedEventSchema = z
  .object({
    position: z.string(),
    eventId: z.string(),
    streamName: z.string(),
    type: z.string(),
    revision: z.number().int(),
    error: z.string(),
    attempts: z.number().int(),
    retries: z.number().int(),
    parkedAt: z.string(),
    data: z.unknown(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .openapi('ParkedEvent');

const retryResultSchema = z
  .object({ retried: z.number().int(), succeeded: z.number().int(), stillParked: z.number().int() })
  .openapi('ParkedRetryResult');

const json = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });

/** GET status, POST rebuild, GET parked, POST parked/retry; all but GET status need the admin role (app.ts). */
export function registerProjectionRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  deps.projections.onStatus((statuses) => updateGauges(deps.metrics, statuses));
  deps.projections.onWritten((projection, events) => {
    const now = Date.now();
    const delay = deps.metrics.readModelDelay.labels(projection);
    for (const event of events) delay.observe((now - event.recordedAt.getTime()) / 1000);
  });

  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/projections',
      tags: ['projections'],
      summary: 'Each projection: live version and generation, checkpoint, lag, status, parked events and rebuild progress',
      responses: {
        200: json('projections', z.object({ items: z.array(projectionStatusSchema) })),
        401: problemResponse('no or bad token'),
      },
    }),
    async (c) => c.json({ items: await deps.projections.status() }),
  );

  openapiRoute(
    app,
    createRoute({
      method: 'post',
      path: '/api/projections/{name}/rebuild',
      tags: ['projections'],
      summary: 'Rebuild a projection (or `all`) beside the live one, then swap it in; queries keep reading the live one meanwhile',
      request: { params: rebuildParam },
      responses: {
        202: json('rebuild accepted: running here, or requested for the projection worker', z.object({ items: z.array(rebuildTicketSchema) })),
        401: problemResponse('no or bad token'),
        403: problemResponse('needs the admin role'),
        404: problemResponse('no such projection'),
        409: problemResponse('a rebuild of this projection is already requested or running'),
      },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      return withProjectionErrors(async () => c.json({ items: await deps.projections.requestRebuild(name) }, 202));
    },
  );

  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/projections/{name}/parked',
      tags: ['projections'],
      summary: "Events the live generation parked after its handler kept failing, in log order, with the error",
      request: { params: nameParam, query: parkedQuery },
      responses: {
        200: json('parked events', z.object({ items: z.array(parkedEventSchema), nextCursor: z.string().nullable() })),
        400: problemResponse('bad limit or cursor'),
        401: problemResponse('no or bad token'),
        403: problemResponse('needs the admin role: parked events hold event data and errors'),
        404: problemResponse('no such projection'),
      },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      return withProjectionErrors(async () => {
        const parked = await deps.projections.parkedEvents(name, { limit: limit + 1, after });
        const page = parked.slice(0, limit);
        const nextCursor = parked.length > limit ? encodeCursor(page[page.length - 1]!.position) : null;
        return c.json({ items: page.map(parkedView), nextCursor });
      });
    },
  );

  openapiRoute(
    app,
    createRoute({
      method: 'post',
      path: '/api/projections/{name}/parked/retry',
      tags: ['projections'],
      summary: 'Re-apply the parked events through the live projection; those that now succeed leave the list',
      request: { params: nameParam },
      responses: {
        200: json('retried here', retryResultSchema),
        202: json('requested: the projection worker retries them', z.object({ state: z.literal('requested') })),
        401: problemResponse('no or bad token'),
        403: problemResponse('needs the admin role'),
        404: problemResponse('no such projection'),
        409: problemResponse('the live generation takes no writes now (a new code version is being built)'),
      },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      return withProjectionErrors(async () => {
        const answer = await deps.projections.retryParked(name);
        if (!answer.done) return c.json({ state: 'requested' as const }, 202);
        const { retried, succeeded, stillParked } = answer;
        return c.json({ retried, succeeded, stillParked });
      });
    },
  );
}

async function withProjectionErrors(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UnknownProjectionError) return problem(404, error.message);
    if (error instanceof RebuildConflictError) return problem(409, error.message, { projections: error.projections });
    if (error instanceof ProjectionNotWritableError) return problem(409, error.message, { headers: { 'retry-after': '5' } });
    throw error;
  }
}

function parkedView(parked: ParkedEvent): z.infer<typeof parkedEventSchema> {
  const { event } = parked;
  return {
    position: event.position,
    eventId: event.id,
    streamName: event.streamName,
    type: event.type,
    revision: event.revision,
    error: parked.error,
    attempts: parked.attempts,
    retries: parked.retries,
    parkedAt: parked.parkedAt,
    data: event.data,
    metadata: event.metadata,
  };
}

function updateGauges(metrics: Metrics, statuses: ProjectionStatus[]): void {
  for (const status of statuses) {
    const labels = { projection: status.name };
    metrics.projectionLag.set(labels, status.lag);
    metrics.projectionParked.set(labels, status.parked);
    const progress = status.rebuild?.progress;
    metrics.projectionRebuildProgress.set(labels, progress ? progress.percent / 100 : 0);
    metrics.projectionRebuildRate.set(labels, progress ? progress.eventsPerSecond : 0);
  }
}
