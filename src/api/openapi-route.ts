import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiEnv } from './request-context.js';
import { consistencyTimeoutResponse, problemResponse } from './problem.js';

/**
 * Registers a documented route whose handler answers with a plain Response. The route config's
 * zod schemas still validate every input and feed /openapi.json; only the typed-response
 * bookkeeping is skipped, because errors are answered as problem+json from one place.
 */
export function openapiRoute<R extends RouteConfig>(
  app: OpenAPIHono<ApiEnv>,
  config: R,
  handler: (c: Context<ApiEnv> & { req: { valid: (target: 'json' | 'query' | 'param') => any } }) => Promise<Response>,
): void {
  app.openapi({ ...config, responses: { ...sharedResponses(config), ...config.responses } }, handler as never);
}

/**
 * The statuses the shared middleware and error handler answer on a route, whatever the route
 * itself does: documented here once so that every operation lists every status it can give.
 */
function sharedResponses(config: RouteConfig): RouteConfig['responses'] {
  const responses: RouteConfig['responses'] = {};
  const request = config.request ?? {};
  if (request.params || request.query || request.headers || request.body) responses[400] = problemResponse('invalid input');
  if (!config.path.startsWith('/api/')) return responses;
  responses[401] = problemResponse('no or bad token');
  responses[403] = problemResponse('the role is too low');
  responses[429] = problemResponse('too many requests; see Retry-After');
  responses[503] = problemResponse('a backend is down; see Retry-After');
  if (config.path.includes('{')) responses[404] = problemResponse('unknown id');
  if (config.method !== 'get') {
    // A command names other aggregates (404 when one is missing) and may lose a race (409).
    responses[404] = problemResponse('unknown id');
    responses[409] = problemResponse('a concurrent change; retry');
    responses[413] = problemResponse('the body is too large');
    responses[415] = problemResponse('the body is not JSON, or has a Content-Encoding');
  }
  if (request.headers) responses[412] = problemResponse('If-Match: * on a create');
  if (request.query && 'shape' in request.query && 'consistentWith' in (request.query as { shape: object }).shape) {
    responses[504] = consistencyTimeoutResponse;
  }
  return responses;
}
