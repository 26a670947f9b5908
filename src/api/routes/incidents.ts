import type { OpenAPIHono } from '@hono/zod-openapi';
import { incident, resolveIncidentSchema } from '../../domain/incident/index.js';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { commandRoute } from './command-route.js';

// Incidents are opened by the incident agent (agent:incident), never through the API.
export function registerIncidentRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  commandRoute(app, deps, {
    aggregate: incident,
    method: 'post',
    path: '/api/incidents/{id}/resolve',
    commandType: 'resolve',
    body: resolveIncidentSchema,
    summary: 'Resolve an open incident',
  });
}
