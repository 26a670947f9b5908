import type { MiddlewareHandler } from 'hono';
import type { AuthVariables } from './auth.js';
import { problem } from './problem.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token bucket per subject: `rps` tokens per second, at most `burst` saved up. 0 turns it off.
 * Buckets live in memory; idle ones are swept so the map cannot grow without bound.
 */
export function rateLimit(rps: number, burst: number, now: () => number = Date.now): MiddlewareHandler<{ Variables: AuthVariables }> {
  const buckets = new Map<string, Bucket>();
  let lastSweep = now();
  return async (c, next) => {
    if (rps <= 0 || burst <= 0) return next();
    const t = now();
    if (t - lastSweep > 60_000) {
      for (const [key, bucket] of buckets) if (t - bucket.updatedAt > 60_000) buckets.delete(key);
      lastSweep = t;
    }
    const subject = c.get('claims').sub;
    const bucket = buckets.get(subject) ?? { tokens: burst, updatedAt: t };
    bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.updatedAt) / 1000) * rps);
    bucket.updatedAt = t;
    buckets.set(subject, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / rps));
      return problem(429, `rate limit of ${rps} requests/s exceeded for '${subject}'`, { headers: { 'retry-after': String(retryAfter) } });
    }
    bucket.tokens -= 1;
    await next();
  };
}
