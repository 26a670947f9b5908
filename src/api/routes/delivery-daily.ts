import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { environmentSchema } from '../../domain/shared/schemas.js';
import { emptyCounters, type DeliveryCounters } from '../../projections/read-models/delivery-metrics.js';
import { deliveryDaily } from '../../projections/read-models/delivery-daily.js';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { openapiRoute } from '../openapi-route.js';
import { problemResponse } from '../problem.js';
import { consistencyQuery, documentSchema } from '../schemas.js';
import { awaitConsistency } from '../read-models.js';

const dailyQuery = consistencyQuery.extend({ days: z.coerce.number().int().min(1).max(366).default(30) });

/** GET /api/metrics/delivery/daily: the DORA figures per environment and UTC day, for charts. */
export function registerDeliveryDailyRoute(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/metrics/delivery/daily',
      tags: ['metrics'],
      summary: 'Deployment frequency, change failure rate and time to restore per environment and day',
      request: { query: dailyQuery },
      responses: {
        200: { description: 'one series per environment, oldest day first', content: { 'application/json': { schema: z.object({ items: z.array(documentSchema), days: z.number() }) } } },
        400: problemResponse('invalid query'),
      },
    }),
    async (c) => {
      const { consistentWith, days } = c.req.valid('query') as z.infer<typeof dailyQuery>;
      await awaitConsistency(deps, 'delivery_metrics', consistentWith);
      const docs = await deps.projections.collection('delivery_metrics').find({}, { limit: 10 });
      const now = new Date();
      const items = environmentSchema.options.map((environment) => {
        const counters = (docs.find((doc) => doc.id === environment) as unknown as DeliveryCounters | undefined) ?? emptyCounters(environment);
        return { environment, days: deliveryDaily(counters, now, days) };
      });
      return c.json({ items, days });
    },
  );
}
