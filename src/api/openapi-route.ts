import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiEnv } from './request-context.js';

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
  app.openapi(config, handler as never);
}
