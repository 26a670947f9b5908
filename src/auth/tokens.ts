import { sign, verify } from 'hono/jwt';
import { tokenClaimsSchema, type Role, type TokenClaims } from './roles.js';

export async function issueToken(secret: string, sub: string, role: Role, ttlSeconds = 8 * 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return sign({ sub, role, iat: now, exp: now + ttlSeconds }, secret, 'HS256');
}

/** Verifies signature and expiry (HS256 only), then the claims' shape. Returns null when invalid. */
export async function verifyToken(secret: string, token: string): Promise<TokenClaims | null> {
  try {
    const payload = await verify(token, secret, 'HS256');
    const claims = tokenClaimsSchema.safeParse(payload);
    return claims.success ? claims.data : null;
  } catch {
    return null;
  }
}
