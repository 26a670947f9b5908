import type { OpenAPIHono } from '@hono/zod-openapi';
import { advanceDeploymentSchema, deployment, failDeploymentSchema, rollbackDeploymentSchema, startDeploymentSchema } from '../../domain/deployment/index.js';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { commandRoute } from './command-route.js';

export function registerDeploymentRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  const base = { aggregate: deployment, method: 'post' } as const;
  commandRoute(app, deps, { ...base, path: '/api/deployments', commandType: 'start', body: startDeploymentSchema, summary: 'Start a deployment (checks every gate; 422 lists the unmet ones)' });
  commandRoute(app, deps, { ...base, path: '/api/deployments/{id}/advance', commandType: 'advance', body: advanceDeploymentSchema, bodyOptional: true, summary: "Shift traffic to the strategy's next step" });
  commandRoute(app, deps, { ...base, path: '/api/deployments/{id}/fail', commandType: 'fail', body: failDeploymentSchema, summary: 'Fail an in-progress deployment (it is rolled back)' });
  commandRoute(app, deps, { ...base, path: '/api/deployments/{id}/rollback', commandType: 'rollback', body: rollbackDeploymentSchema, summary: 'Roll back a deployment' });
}
