import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The console's sign-in, cookie and cross-site protection, in-process (no browser needed).
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

const ORIGIN = 'http://test';

async function send(method: string, path: string, options: { cookie?: string; origin?: string; form?: Record<string, string>; json?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;
  let body: string | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  return api.fetch(new Request(`${ORIGIN}${path}`, { method, headers, body, redirect: 'manual' }));
}

async function signIn(role: 'viewer' | 'engineer' | 'admin'): Promise<string> {
  const response = await send('POST', '/ui/sign-in', { origin: ORIGIN, form: { token: await api.token(role, `${role}-console`) } });
  expect(response.status).toBe(303);
  const cookie = response.headers.get('set-cookie')!;
  return cookie.split(';')[0]!;
}

describe('console sign-in', () => {
  it('keeps a valid token in an HttpOnly, SameSite=Strict cookie scoped to /ui', async () => {
    const response = await send('POST', '/ui/sign-in', { origin: ORIGIN, form: { token: await api.token('engineer') } });
    expect(response.headers.get('location')).toBe('/ui');
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^ledger_session=[\w.-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/ui');
  });

  it('refuses a bad token with 401 and sets no cookie; pages without a session redirect to sign-in', async () => {
    const refused = await send('POST', '/ui/sign-in', { origin: ORIGIN, form: { token: 'nope' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('set-cookie')).toBeNull();
    const page = await send('GET', '/ui');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/ui/sign-in');
    expect((await send('GET', '/ui/api/audit')).status).toBe(401);
    expect((await send('GET', '/')).headers.get('location')).toBe('/ui');
  });

  it('offers no local sign-in where the secret was configured', async () => {
    expect(await (await send('GET', '/ui/sign-in')).text()).not.toContain('local-sign-in');
    expect((await send('POST', '/ui/sign-in/local', { origin: ORIGIN, form: { sub: 'mallory', role: 'admin' } })).status).toBe(404);
  });
});

describe('console requests', () => {
  it('refuses a state-changing request from another origin (403), with or without a session', async () => {
    const cookie = await signIn('engineer');
    const forged = await send('POST', '/ui/sign-out', { cookie, origin: 'http://evil.example', form: {} });
    expect(forged.status).toBe(403);
    const forgedCapture = await send('POST', '/ui/api/requirements', {
      cookie,
      origin: 'http://evil.example',
      form: { title: 'forged' },
    });
    expect(forgedCapture.status).toBe(403);
  });

  it('passes the API its own role checks: a viewer reads through the console but gets the API\'s 403 on a command', async () => {
    const cookie = await signIn('viewer');
    expect((await send('GET', '/ui/api/audit?limit=1', { cookie })).status).toBe(200);
    const capture = await send('POST', '/ui/api/requirements', {
      cookie,
      origin: ORIGIN,
      json: { title: 'From a viewer', description: '', priority: 'low', acceptanceCriteria: ['refused'] },
    });
    expect(capture.status).toBe(403);
    expect(capture.headers.get('content-type')).toContain('application/problem+json');
  });

  it('an engineer\'s command through the console is recorded under the engineer\'s name', async () => {
    const cookie = await signIn('engineer');
    const capture = await send('POST', '/ui/api/requirements', {
      cookie,
      origin: ORIGIN,
      json: { title: 'From the console', description: '', priority: 'low', acceptanceCriteria: ['recorded'] },
    });
    expect(capture.status).toBe(201);
    const { commandId } = (await capture.json()) as { commandId: string };
    const command = await api.request('GET', `/api/commands/${commandId}`);
    expect(command.body).toMatchObject({ actor: 'engineer-console', actorRole: 'engineer' });
  });

  it('shows projections to every role as the API does, with rebuild buttons for admins only', async () => {
    const engineer = await signIn('engineer');
    const page = await send('GET', '/ui/operations', { cookie: engineer });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-name="audit"');
    expect(html).not.toContain('rebuild-start');
    expect((await send('POST', '/ui/api/projections/audit/rebuild', { cookie: engineer, origin: ORIGIN })).status).toBe(403);
    const admin = await signIn('admin');
    expect(await (await send('GET', '/ui/operations', { cookie: admin })).text()).toContain('rebuild-start');
  });
});
