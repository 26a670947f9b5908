import type { Hono, MiddlewareHandler } from 'hono';
import { problem } from './problem.js';

interface RoutePattern {
  method: string;
  pattern: RegExp;
}

/**
 * The methods the app declares for a path, from its registered routes (middleware, registered
 * for every method, is left out). Read once, on first use, when every route is registered.
 */
export function allowedMethods(app: Hono<any>): (path: string) => string[] {
  let patterns: RoutePattern[] | undefined;
  return (path) => {
    patterns ??= app.routes.filter((route) => route.method !== 'ALL').map((route) => ({ method: route.method, pattern: toPattern(route.path) }));
    const methods = new Set(patterns.filter((route) => route.pattern.test(path)).map((route) => route.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}

/** '/api/features/:id' → /^\/api\/features\/[^/]+$/ ('*' matches the rest). */
function toPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * A method the path does not declare is a 405 before anything else looks at the request, so an
 * undeclared method never reaches body checks or claims an Idempotency-Key.
 */
export function refuseUndeclaredMethods(methodsFor: (path: string) => string[]): MiddlewareHandler {
  return async (c, next) => {
    const allowed = methodsFor(c.req.path);
    if (allowed.length === 0 || allowed.includes(c.req.method)) return next();
    return methodNotAllowed(c.req.path, c.req.method, allowed);
  };
}

export function methodNotAllowed(path: string, method: string, allowed: string[]): Response {
  return problem(405, `${path} does not take ${method}`, { headers: { allow: allowed.join(', ') } });
}
