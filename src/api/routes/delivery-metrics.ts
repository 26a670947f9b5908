import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { environmentSchema } from '../../domain/shared/schemas.js';
import { emptyCounters, type DeliveryCounters } from '../../projections/read-models/delivery-metrics.js';
import { deliveryFigures, WINDOW_DAYS, type DeliveryFigures } from '../../projections/read-models/delivery-figures.js';
import { registerDeliveryGauges } from '../../observability/delivery-gauges.js';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { openapiRoute } from '../openapi-route.js';
import { consistencyTimeoutResponse, problemResponse } from '../problem.js';
import { consistencyQuery, documentSchema } from '../schemas.js';
import { awaitConsistency } from '../read-models.js';

const READ_MODEL = 'delivery_metrics';

/** GET /api/metrics/delivery: the DORA figures per environment, also served as gauges on /metrics. */
export function registerDeliveryMetricsRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  const figures = async (): Promise<DeliveryFigures[]> => {
    const docs = await deps.projections.collection(READ_MODEL).find({}, { limit: 10 });
    const now = new Date();
    return environmentSchema.options.map((environment) => {
      const counters = docs.find((doc) => doc.id === environment) as unknown as DeliveryCounters | undefined;
      return deliveryFigures(counters ?? emptyCounters(environment), now);
    });
  };
  registerDeliveryGauges(deps.metrics.registry, figures);

  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/metrics/delivery',
      tags: ['metrics'],
      summary: 'DORA metrics per environment: deployment frequency, change failure rate, mean time to restore',
      request: { query: consistencyQuery },
      responses: {
        200: {
          description: 'one entry per environment',
          content: { 'application/json': { schema: z.object({ items: z.array(documentSchema), windowDays: z.number(), generatedAt: z.string() }) } },
        },
        400: problemResponse('invalid query'),
        504: consistencyTimeoutResponse,
      },
    }),
    async (c) => {
      const { consistentWith } = c.req.valid('query') as z.infer<typeof consistencyQuery>;
      await awaitConsistency(deps, READ_MODEL, consistentWith);
      return c.json({ items: await figures(), windowDays: WINDOW_DAYS, generatedAt: new Date().toISOString() });
    },
  );
}
