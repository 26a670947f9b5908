import type { MiddlewareHandler } from 'hono';
import { hasRole, type Role, type TokenClaims } from '../auth/roles.js';
import { CachingTokenVerifier } from '../auth/tokens.js';
import { problem } from './problem.js';

/** Set by authentication; `commandId` is set when an Idempotency-Key reserved one. */
export type AuthVariables = { claims: TokenClaims; commandId?: string };

/** Bearer JWT (HS256, AUTH_SECRET) → the actor's claims on the context, or 401. */
export function authenticate(secret: string): MiddlewareHandler<{ Variables: AuthVariables }> {
  const verifier = new CachingTokenVerifier(secret);
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) return problem(401, 'an Authorization: Bearer <token> header is required', { headers: { 'www-authenticate': 'Bearer' } });
    const claims = await verifier.verify(match[1]!);
    if (!claims) return problem(401, 'the bearer token is invalid or expired', { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
    c.set('claims', claims);
    await next();
  };
}

/**
 * GETs need `readRole` (viewer unless the data is sensitive); other methods need `writeRole`
 * (engineer for commands, admin for operations).
 */
export function authorize(writeRole: Role, readRole: Role = 'viewer'): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    const required: Role = c.req.method === 'GET' || c.req.method === 'HEAD' ? readRole : writeRole;
    const claims = c.get('claims');
    if (!hasRole(claims.role, required)) {
      return problem(403, `this needs the '${required}' role; the token has '${claims.role}'`);
    }
    await next();
  };
}
