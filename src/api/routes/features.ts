import type { OpenAPIHono } from '@hono/zod-openapi';
import { createFeatureSchema, deleteFeatureSchema, feature, revertFeatureSchema, updateFeatureSchema } from '../../domain/feature/index.js';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { commandRoute } from './command-route.js';

export function registerFeatureRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  const base = { aggregate: feature } as const;
  commandRoute(app, deps, { ...base, method: 'post', path: '/api/features', commandType: 'create', body: createFeatureSchema, summary: 'Create a feature of an approved requirement' });
  commandRoute(app, deps, { ...base, method: 'patch', path: '/api/features/{id}', commandType: 'update', body: updateFeatureSchema, summary: 'Update some fields of a feature' });
  commandRoute(app, deps, { ...base, method: 'delete', path: '/api/features/{id}', commandType: 'delete', body: deleteFeatureSchema, bodyOptional: true, summary: 'Delete a feature (it can be restored by undo)' });
  commandRoute(app, deps, { ...base, method: 'post', path: '/api/features/{id}/revert', commandType: 'revert', body: revertFeatureSchema, summary: 'Revert a feature to the state at a revision', dryRun: true });
}
