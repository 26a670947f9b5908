import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { TokenClaims } from '../auth/roles.js';
import { CachingTokenVerifier } from '../auth/tokens.js';

/** The console keeps the bearer token in this cookie; scripts never see it (HttpOnly). */
export const SESSION_COOKIE = 'ledger_session';

export interface Session {
  token: string;
  claims: TokenClaims;
}

export function sessionReader(secret: string) {
  const verifier = new CachingTokenVerifier(secret);
  return async (c: Context): Promise<Session | null> => {
    const token = getCookie(c, SESSION_COOKIE);
    if (!token) return null;
    const claims = await verifier.verify(token);
    return claims ? { token, claims } : null;
  };
}

export function startSession(c: Context, token: string, claims: TokenClaims): void {
  const now = Math.floor(Date.now() / 1000);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/ui',
    secure: new URL(c.req.url).protocol === 'https:',
    ...(claims.exp ? { maxAge: Math.max(0, claims.exp - now) } : {}),
  });
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/ui' });
}
