import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { MiddlewareHandler } from 'hono';
import type { AppDeps } from './deps.js';
import { authenticate, authorize } from './auth.js';
import { rateLimit } from './rate-limit.js';
import { idempotency } from './idempotency.js';
import { ApiError, errorToResponse } from './error-handler.js';
import { problem, validationErrors } from './problem.js';
import { allowedMethods, methodNotAllowed, refuseUndeclaredMethods } from './allowed-methods.js';
import type { ApiEnv } from './request-context.js';
import { registerOperationalRoutes } from './routes/operational.js';
import { registerRequirementRoutes } from './routes/requirements.js';
import { registerFeatureRoutes } from './routes/features.js';
import { registerBuildRoutes } from './routes/builds.js';
import { registerDeploymentRoutes } from './routes/deployments.js';
import { registerIncidentRoutes } from './routes/incidents.js';
import { registerQueryRoutes } from './routes/queries.js';
import { registerCommandRoutes } from './routes/commands.js';
import { registerProjectionRoutes } from './routes/projections.js';
import { registerPipelineRoutes } from './routes/pipelines.js';
import { registerDeliveryMetricsRoutes } from './routes/delivery-metrics.js';
import { registerCiWebhookRoutes } from '../integrations/inbound/routes.js';
import { acceptsReportBody } from '../integrations/reports/report-routes.js';
import { registerWebhookRoutes } from '../integrations/outbound/webhook-routes.js';
import { registerAuditStreamRoute } from './routes/audit-stream.js';
import { registerTraceRoute } from './routes/trace.js';
import { registerConsole } from '../ui/console.js';
import { registerDeliveryDailyRoute } from './routes/delivery-daily.js';
import { registerProjectionCancelRoute } from './routes/projection-cancel.js';
import { traceRequests } from './trace-requests.js';

export function createApp(deps: AppDeps): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>({
    // Every validation failure becomes a 400 problem with one entry per offending path.
    defaultHook: (result) => {
      if (!result.success) {
        return problem(400, 'the request is not valid', { errors: validationErrors(result.error.issues, result.target === 'json' ? 'body' : result.target) });
      }
    },
  });

  app.use('*', traceRequests(), requestLog(deps));
  app.onError((error, c) => errorToResponse(error, c, deps.logger));
  const methodsFor = allowedMethods(app);
  app.notFound((c) => {
    const allowed = methodsFor(c.req.path);
    if (allowed.length > 0) return methodNotAllowed(c.req.path, c.req.method, allowed);
    return problem(404, `no route for ${c.req.method} ${c.req.path}`);
  });

  registerOperationalRoutes(app, deps);

  // Who is asking comes first: nothing reads a body before the token and role allow the request.
  app.use('/api/*', authenticate(deps.authSecret), rateLimit(deps.rateLimit.rps, deps.rateLimit.burst));
  // Parked events hold event data and handler errors: reading them is an operation too.
  app.use('/api/projections/:name/parked', authorize('admin', 'admin'));
  app.use('/api/projections/*', authorize('admin'));
  app.use('/api/*', authorize('engineer'));
  app.use('/api/*', refuseUndeclaredMethods(methodsFor));
  app.use('/api/*', refuseContentEncoding, limitBodySize(deps.bodyLimitBytes), requireJsonBody);
  app.use('/api/*', idempotency(deps));

  registerRequirementRoutes(app, deps);
  registerFeatureRoutes(app, deps);
  registerBuildRoutes(app, deps);
  registerDeploymentRoutes(app, deps);
  registerIncidentRoutes(app, deps);
  registerQueryRoutes(app, deps);
  registerCommandRoutes(app, deps);
  registerProjectionRoutes(app, deps);
  registerPipelineRoutes(app, deps);
  registerDeliveryMetricsRoutes(app, deps);
  registerCiWebhookRoutes(app, deps, deps.integrations ?? {});
  registerWebhookRoutes(app, deps);
  registerAuditStreamRoute(app, deps);
  registerTraceRoute(app, deps);
  registerDeliveryDailyRoute(app, deps);
  registerProjectionCancelRoute(app, deps);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: { title: 'agent-ledger', version: '0.1.0', description: 'Event-sourced system of record for software delivery.' },
    security: [{ bearer: [] }],
  });
  registerConsole(app, deps);
  return app;
}

/**
 * 413 for a body over `maxBytes`. A declared Content-Length is checked from the header alone:
 * hono's bodyLimit asks for the request's body stream even then, which on @hono/node-server turns
 * the request into a full web Request with web streams (a tenth of a command's CPU). A body of
 * unknown length is still counted as it streams in, by hono's bodyLimit.
 */
function limitBodySize(maxBytes: number): MiddlewareHandler {
  const tooLarge = () => problem(413, `request body is larger than ${maxBytes} bytes`);
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) {
      let bodyRead = false;
      try {
        return await streamed(c, async () => {
          bodyRead = true;
          await next();
        });
      } catch (error) {
        if (bodyRead) throw error;
        throw incompleteBody();
      }
    }
    if (Number(length) > maxBytes) return tooLarge();
    await next();
  };
}

/** The client stopped sending mid-body (an abort or a broken connection): its fault, not ours. */
function incompleteBody(): ApiError {
  return new ApiError(400, 'the request body ended before it was complete');
}

/**
 * Bodies are taken as sent: a compressed body would otherwise be parsed as if plain, and decoding
 * one would let a small upload expand past the body limit.
 */
const refuseContentEncoding: MiddlewareHandler = async (c, next) => {
  const coding = c.req.header('content-encoding');
  if (coding !== undefined && coding.trim().toLowerCase() !== 'identity') {
    return problem(415, 'request bodies are accepted without Content-Encoding only', { headers: { 'accept-encoding': 'identity' } });
  }
  await next();
};

/**
 * A request with a body must say it is JSON. An empty body counts as `{}`, so commands without a
 * payload (approve, advance, delete) work whether or not the client sent a Content-Type.
 */
const requireJsonBody: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'POST' || c.req.method === 'PATCH' || c.req.method === 'PUT' || c.req.method === 'DELETE') {
    const type = c.req.header('content-type');
    const length = c.req.header('content-length');
    const mayHaveBody = type !== undefined || (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
    if (mayHaveBody) {
      const text = await c.req.text().catch(() => {
        throw incompleteBody();
      });
      const empty = text.trim() === '';
      // Hono caches body reads as promises (its type says string): seed the cache with '{}'.
      if (empty) (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve('{}');
      else if (!/^application\/([\w.-]+\+)?json\s*(;.*)?$/i.test(type ?? '') && !acceptsReportBody(c.req.path, type)) {
        return problem(415, 'the request body must be application/json');
      }
    }
  }
  await next();
};

function requestLog(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = c.req.routePath || 'unmatched';
    deps.metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    deps.metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
    deps.logger.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(seconds * 1000) }, 'request');
  };
}
