import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  approveRequirementSchema,
  captureRequirementSchema,
  rejectRequirementSchema,
  requirement,
  revertRequirementSchema,
  reviseRequirementSchema,
} from '../../domain/requirement/index.js';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { commandRoute } from './command-route.js';

export function registerRequirementRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  const base = { aggregate: requirement, method: 'post' } as const;
  commandRoute(app, deps, { ...base, path: '/api/requirements', commandType: 'capture', body: captureRequirementSchema, summary: 'Capture a requirement' });
  commandRoute(app, deps, { ...base, path: '/api/requirements/{id}/revise', commandType: 'revise', body: reviseRequirementSchema, summary: 'Revise some fields of a requirement' });
  commandRoute(app, deps, { ...base, path: '/api/requirements/{id}/approve', commandType: 'approve', body: approveRequirementSchema, bodyOptional: true, summary: 'Approve a captured requirement' });
  commandRoute(app, deps, { ...base, path: '/api/requirements/{id}/reject', commandType: 'reject', body: rejectRequirementSchema, summary: 'Reject a captured requirement' });
  commandRoute(app, deps, { ...base, path: '/api/requirements/{id}/revert', commandType: 'revert', body: revertRequirementSchema, summary: 'Revert a requirement to the state at a revision', dryRun: true });
}
