import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, Next } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../../api/deps.js';
import { commandContext, commandResponse, type ApiEnv } from '../../api/request-context.js';
import { problem, validationErrors } from '../../api/problem.js';
import { ULID } from '../../api/schemas.js';
import { parseJunit } from './junit.js';
import { looksLikeSarif, parseSarif } from './sarif.js';
import { MalformedReportError } from './report-error.js';

const XML = /^(application|text)\/xml\s*(;.*)?$/i;
const SARIF = /^application\/sarif\+json\s*(;.*)?$/i;
const TEST_RUNS = /^\/api\/builds\/[^/]+\/test-runs$/;
const coverageQuery = z.object({ coverage: z.coerce.number().min(0).max(100).optional() });

/** Non-JSON bodies the API takes: JUnit XML uploads of test runs. */
export function acceptsReportBody(path: string, contentType: string | undefined): boolean {
  return TEST_RUNS.test(path) && XML.test(contentType ?? '');
}

/** OpenAPI media types beside application/json for the two report routes. */
export const junitBody = {
  'application/xml': {
    schema: { type: 'string' as const, description: 'JUnit XML (<testsuites> or <testsuite>); coverage from ?coverage=, a coverage property, else recorded as 0' },
  },
  'text/xml': { schema: { type: 'string' as const, description: 'JUnit XML, as application/xml' } },
};
export const sarifBody = {
  'application/sarif+json': {
    schema: { type: 'object' as const, description: 'SARIF 2.1.0 log (also accepted as application/json with version "2.1.0"); one finding per rule, severity from security-severity (CVSS) or level' },
  },
};

/**
 * Runs before the JSON routes of test runs and scans: a JUnit or SARIF document is turned into the
 * same command payload, and dispatched the same way; anything else goes on to the JSON route.
 */
export function registerReportFormats(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  app.post('/api/builds/:id/test-runs', async (c, next) => {
    if (!XML.test(c.req.header('content-type') ?? '')) return next();
    const query = coverageQuery.safeParse(c.req.query());
    if (!query.success) return problem(400, 'coverage must be a percentage from 0 to 100', { errors: validationErrors(query.error.issues, 'query') });
    return record(c, deps, 'recordTestRun', async () => parseJunit(await c.req.text(), query.data.coverage));
  });
  app.post('/api/builds/:id/security-scans', async (c: Context<ApiEnv>, next: Next) => {
    const type = c.req.header('content-type') ?? '';
    if (!SARIF.test(type)) {
      if (!/json/i.test(type)) return next();
      const body: unknown = await c.req.json().catch(() => undefined);
      if (!looksLikeSarif(body)) return next();
    }
    return record(c, deps, 'recordSecurityScan', async () => parseSarif(await c.req.json()));
  });
}

async function record(c: Context<ApiEnv>, deps: AppDeps, commandType: string, parse: () => Promise<unknown>): Promise<Response> {
  const id = c.req.param('id') ?? '';
  if (!ULID.test(id)) return problem(400, 'the request is not valid', { errors: [{ path: 'param.id', message: 'must be a ULID' }] });
  let data: unknown;
  try {
    data = await parse();
  } catch (error) {
    if (error instanceof MalformedReportError) return problem(400, error.message, error.errors.length > 0 ? { errors: error.errors } : {});
    if (error instanceof SyntaxError) return problem(400, 'the SARIF document is not valid JSON');
    throw error;
  }
  const result = await deps.commands.dispatch({ aggregateType: 'build', id, command: { type: commandType, data }, context: commandContext(c) });
  return commandResponse(c, result);
}
