import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { openapiRoute } from '../openapi-route.js';
import { problemResponse } from '../problem.js';
import { consistencyQuery, documentSchema, instantQuery, pageQuery, pageSchema, ULID } from '../schemas.js';
import { awaitConsistency, definedOnly, itemResponse, listResponse } from '../read-models.js';
import { auditTimeRange } from '../audit-time-range.js';
import { auditFilterQuery } from '../audit-filters.js';
import { readModelRoutes } from './read-model-route.js';
import { environmentSchema, ulidSchema } from '../../domain/shared/schemas.js';
import { prioritySchema, requirement, requirementStatusSchema } from '../../domain/requirement/index.js';
import { feature, featureStatusSchema } from '../../domain/feature/index.js';
import { build, buildStatusSchema } from '../../domain/build/index.js';
import { deployment, deploymentStatusSchema } from '../../domain/deployment/index.js';
import { incident, incidentStatusSchema } from '../../domain/incident/index.js';

const ulid = ulidSchema;
const environment = environmentSchema;

export function registerQueryRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  readModelRoutes(app, deps, {
    path: 'requirements',
    readModel: 'requirements',
    aggregate: requirement,
    filters: z.object({ status: requirementStatusSchema.optional(), priority: prioritySchema.optional() }),
  });
  readModelRoutes(app, deps, {
    path: 'features',
    readModel: 'features',
    aggregate: feature,
    filters: z.object({ requirementId: ulid.optional(), status: featureStatusSchema.optional(), developer: z.string().max(200).optional() }),
  });
  readModelRoutes(app, deps, {
    path: 'builds',
    readModel: 'builds',
    aggregate: build,
    filters: z.object({ featureId: ulid.optional(), status: buildStatusSchema.optional() }),
  });
  readModelRoutes(app, deps, {
    path: 'deployments',
    readModel: 'deployments',
    aggregate: deployment,
    filters: z.object({ buildId: ulid.optional(), environment: environment.optional(), status: deploymentStatusSchema.optional() }),
  });
  readModelRoutes(app, deps, {
    path: 'incidents',
    readModel: 'incidents',
    aggregate: incident,
    filters: z.object({ deploymentId: ulid.optional(), environment: environment.optional(), status: incidentStatusSchema.optional() }),
  });

  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/environments',
      tags: ['environments'],
      summary: 'Each environment with its current version and deployment history',
      request: { query: consistencyQuery },
      responses: { 200: { description: 'environments', content: { 'application/json': { schema: pageSchema } } }, 400: problemResponse('invalid query') },
    }),
    async (c) => {
      const { consistentWith } = c.req.valid('query') as z.infer<typeof consistencyQuery>;
      return listResponse(c, deps, 'environments', { limit: 100, consistentWith }, {});
    },
  );

  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/testplans/{featureId}',
      tags: ['testplans'],
      summary: "A feature's generated test cases",
      request: { params: z.object({ featureId: z.string().regex(ULID, 'must be a ULID').openapi({ param: { name: 'featureId', in: 'path' } }) }), query: consistencyQuery },
      responses: {
        200: { description: 'the test plan', content: { 'application/json': { schema: documentSchema } } },
        404: problemResponse('no test plan for that feature'),
      },
    }),
    async (c) => {
      const { featureId } = c.req.valid('param') as { featureId: string };
      const { consistentWith } = c.req.valid('query') as z.infer<typeof consistencyQuery>;
      return itemResponse(c, deps, 'testplans', featureId, consistentWith);
    },
  );

  const auditQuery = pageQuery.extend(auditFilterQuery.shape);
  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/audit',
      tags: ['audit'],
      summary: 'The audit timeline, newest first',
      request: { query: auditQuery },
      responses: { 200: { description: 'a page of audit entries', content: { 'application/json': { schema: pageSchema } } }, 400: problemResponse('invalid query') },
    }),
    async (c) => {
      const { limit, cursor, consistentWith, from, to, ...filters } = c.req.valid('query') as z.infer<typeof auditQuery>;
      await awaitConsistency(deps, 'audit', consistentWith);
      const filter = { ...definedOnly(filters), ...(await auditTimeRange(deps.projections.collection('audit'), from, to)) };
      return listResponse(c, deps, 'audit', { limit, cursor }, filter);
    },
  );
}
