import type { Hono, MiddlewareHandler } from 'hono';
import { problem } from './problem.js';

interface RoutePattern {
  method: string;
  pattern: RegExp;
}

/** What the app declares: the methods for a path, and a quick yes for a method it takes there. */
export interface DeclaredMethods {
  (path: string): string[];
  /** True when `method` is declared for `path`: one expression per method, tried on every request. */
  declares(method: string, path: string): boolean;
}

/**
 * The methods the app declares for a path, from its registered routes (middleware, registered
 * for every method, is left out). Read once, on first use, when every route is registered.
 */
export function allowedMethods(app: Hono<any>): DeclaredMethods {
  let patterns: RoutePattern[] | undefined;
  let byMethod: Map<string, RegExp> | undefined;
  const routes = () => (patterns ??= app.routes.filter((route) => route.method !== 'ALL').map((route) => ({ method: route.method, pattern: toPattern(route.path) })));
  const methodsFor = (path: string) => {
    const methods = new Set(routes().filter((route) => route.pattern.test(path)).map((route) => route.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
  return Object.assign(methodsFor, {
    declares(method: string, path: string): boolean {
      byMethod ??= combinedByMethod(routes());
      const pattern = byMethod.get(method === 'HEAD' ? 'GET' : method);
      return pattern !== undefined && pattern.test(path);
    },
  });
}

function combinedByMethod(patterns: RoutePattern[]): Map<string, RegExp> {
  const sources = new Map<string, string[]>();
  for (const { method, pattern } of patterns) {
    const list = sources.get(method) ?? [];
    list.push(pattern.source);
    sources.set(method, list);
  }
  return new Map([...sources].map(([method, list]) => [method, new RegExp(list.map((source) => `(?:${source})`).join('|'))]));
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
export function refuseUndeclaredMethods(methodsFor: DeclaredMethods): MiddlewareHandler {
  return async (c, next) => {
    if (methodsFor.declares(c.req.method, c.req.path)) return next();
    const allowed = methodsFor(c.req.path);
    if (allowed.length === 0 || allowed.includes(c.req.method)) return next();
    return methodNotAllowed(c.req.path, c.req.method, allowed);
  };
}

export function methodNotAllowed(path: string, method: string, allowed: string[]): Response {
  return problem(405, `${path} does not take ${method}`, { headers: { allow: allowed.join(', ') } });
}
