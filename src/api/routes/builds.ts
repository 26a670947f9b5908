import type { OpenAPIHono } from '@hono/zod-openapi';
import { build, recordBuildResultSchema, recordSecurityScanSchema, recordTestRunSchema, requestBuildSchema } from '../../domain/build/index.js';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { commandRoute } from './command-route.js';
import { junitBody, registerReportFormats, sarifBody } from '../../integrations/reports/report-routes.js';

export function registerBuildRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  const base = { aggregate: build, method: 'post' } as const;
  registerReportFormats(app, deps);
  commandRoute(app, deps, { ...base, path: '/api/builds', commandType: 'request', body: requestBuildSchema, summary: 'Request a build of a feature at a commit' });
  commandRoute(app, deps, { ...base, path: '/api/builds/{id}/result', commandType: 'recordResult', body: recordBuildResultSchema, summary: 'Record the build result (once)' });
  commandRoute(app, deps, { ...base, path: '/api/builds/{id}/test-runs', commandType: 'recordTestRun', body: recordTestRunSchema, otherBodies: junitBody, summary: 'Record a test run of the build' });
  commandRoute(app, deps, { ...base, path: '/api/builds/{id}/security-scans', commandType: 'recordSecurityScan', body: recordSecurityScanSchema, otherBodies: sarifBody, summary: 'Record a security scan of the build' });
}
