import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { CachingTokenVerifier, issueToken, verifyToken } from '../../src/auth/tokens.js';

const SECRET = 'token-test-secret-token-test-secret-0123456789';

describe('tokens', () => {
  it('issues HS256 tokens whose claims verify', async () => {
    const token = await issueToken(SECRET, 'alice', 'admin', 60);
    expect(await verifyToken(SECRET, token)).toMatchObject({ sub: 'alice', role: 'admin' });
  });

  it('refuses another secret, another algorithm, a bad role and garbage', async () => {
    expect(await verifyToken(SECRET, await issueToken('x'.repeat(40), 'alice', 'admin'))).toBeNull();
    expect(await verifyToken(SECRET, await sign({ sub: 'a', role: 'admin' }, SECRET, 'HS512'))).toBeNull();
    expect(await verifyToken(SECRET, await sign({ sub: 'a', role: 'owner' }, SECRET, 'HS256'))).toBeNull();
    expect(await verifyToken(SECRET, 'not.a.token')).toBeNull();
  });

  it('refuses a correctly signed token without exp, or one that lives longer than 30 days', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await verifyToken(SECRET, await sign({ sub: 'a', role: 'admin' }, SECRET, 'HS256'))).toBeNull();
    expect(await verifyToken(SECRET, await sign({ sub: 'a', role: 'admin', iat: now }, SECRET, 'HS256'))).toBeNull();
    expect(await verifyToken(SECRET, await sign({ sub: 'a', role: 'admin', exp: now + 31 * 86400 }, SECRET, 'HS256'))).toBeNull();
    expect(await verifyToken(SECRET, await sign({ sub: 'a', role: 'admin', iat: now - 40 * 86400, exp: now + 3600 }, SECRET, 'HS256'))).toBeNull();
    expect(await verifyToken(SECRET, await sign({ sub: 'a', role: 'admin', iat: now, exp: now + 30 * 86400 }, SECRET, 'HS256'))).toMatchObject({ sub: 'a' });
  });

  it('will not issue a token that lives longer than 30 days', async () => {
    await expect(issueToken(SECRET, 'alice', 'admin', 31 * 86400)).rejects.toThrow(/30 days/);
  });

  it('the caching verifier stops accepting a remembered token once it expires', async () => {
    const verifier = new CachingTokenVerifier(SECRET);
    const exp = Math.floor(Date.now() / 1000) + 1;
    const token = await sign({ sub: 'bob', role: 'viewer', exp }, SECRET, 'HS256');
    expect(await verifier.verify(token)).toMatchObject({ sub: 'bob' });
    await new Promise((resolve) => setTimeout(resolve, (exp + 1) * 1000 - Date.now()));
    expect(await verifier.verify(token)).toBeNull();
  });

  it('the caching verifier forgets the oldest tokens beyond its capacity and still verifies them', async () => {
    const verifier = new CachingTokenVerifier(SECRET, 2);
    const tokens = await Promise.all(['a', 'b', 'c'].map((sub) => issueToken(SECRET, sub, 'viewer')));
    for (const token of tokens) expect(await verifier.verify(token)).not.toBeNull();
    expect(await verifier.verify(tokens[0]!)).toMatchObject({ sub: 'a' });
  });
});
