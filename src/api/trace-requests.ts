import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { SpanKind, SpanStatusCode, context } from '@opentelemetry/api';
import { contextOf, startSpan, tracingOn } from '../observability/tracing.js';

/**
 * Opens the request's server span, under the client's W3C traceparent when it sent one. Without an
 * SDK it does nothing: a command still continues the client's trace from the header itself.
 */
export function traceRequests(): MiddlewareHandler {
  return async (c, next) => {
    if (!tracingOn()) return next();
    const parent = contextOf(c.req.header('traceparent'));
    const { span, context: active } = startSpan(c.req.method, parent, {
      kind: SpanKind.SERVER,
      attributes: () => ({ 'http.request.method': c.req.method, 'url.path': c.req.path }),
    });
    try {
      await context.with(active, next);
    } finally {
      const route = routePath(c, -1);
      span.updateName(`${c.req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': c.res.status });
      if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  };
}
