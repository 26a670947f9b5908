import type { Hono } from 'hono';

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
