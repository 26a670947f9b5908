import { sign, verify } from 'hono/jwt';
import { tokenClaimsSchema, type Role, type TokenClaims } from './roles.js';

/** A token is a bearer credential: one that leaks stays usable this long at most. */
export const MAX_TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;

export async function issueToken(secret: string, sub: string, role: Role, ttlSeconds = 8 * 3600): Promise<string> {
  if (ttlSeconds > MAX_TOKEN_LIFETIME_SECONDS) throw new Error('a token lives at most 30 days');
  const now = Math.floor(Date.now() / 1000);
  return sign({ sub, role, iat: now, exp: now + ttlSeconds }, secret, 'HS256');
}

/**
 * Verifies signature and expiry (HS256 only), then the claims' shape: `exp` is required and at
 * most 30 days after `iat` and after now. Returns null when invalid.
 */
export async function verifyToken(secret: string, token: string): Promise<TokenClaims | null> {
  try {
    const payload = await verify(token, secret, 'HS256');
    const claims = tokenClaimsSchema.safeParse(payload);
    if (!claims.success) return null;
    const now = Date.now() / 1000;
    const { exp, iat } = claims.data;
    if (exp - (iat ?? now) > MAX_TOKEN_LIFETIME_SECONDS || exp - now > MAX_TOKEN_LIFETIME_SECONDS) return null;
    return claims.data;
  } catch {
    return null;
  }
}

/**
 * Verifies tokens, remembering the ones that passed until they expire: a client sends the same
 * token on every request, and an HMAC check per request is a measurable share of the CPU.
 * Bounded: the oldest entries go first once `capacity` tokens are remembered.
 */
export class CachingTokenVerifier {
  private readonly verified = new Map<string, TokenClaims>();

  constructor(
    private readonly secret: string,
    private readonly capacity = 10_000,
  ) {}

  async verify(token: string): Promise<TokenClaims | null> {
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.exp > Date.now() / 1000) return cached;
      this.verified.delete(token);
      return null;
    }
    const claims = await verifyToken(this.secret, token);
    if (claims) {
      if (this.verified.size >= this.capacity) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, claims);
    }
    return claims;
  }
}
