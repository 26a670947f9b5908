import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from 'hono/jwt';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/test-app.js';

// Every error a client can cause is a 4xx problem+json, never a 500, and appends nothing.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

const valid = { title: 'Audit export', description: '', priority: 'low', acceptanceCriteria: ['csv'] };

async function headPosition() {
  return api.backends.events.headPosition();
}

function expectProblem(response: { status: number; headers: Headers; body: any }, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+/);
}

describe('validation (400)', () => {
  it.each([
    ['malformed JSON', '{"title": "x",'],
    ['a wrong type', { ...valid, priority: 3 }],
    ['a missing field', { title: 'x', priority: 'low' }],
    ['an unknown field', { ...valid, owner: 'mallory' }],
    ['a title of 201 characters', { ...valid, title: 'x'.repeat(201) }],
    ['an empty acceptance criteria list', { ...valid, acceptanceCriteria: [] }],
    ['21 acceptance criteria', { ...valid, acceptanceCriteria: Array.from({ length: 21 }, (_, i) => `c${i}`) }],
  ])('rejects %s and appends nothing', async (_case, body) => {
    const before = await headPosition();
    const response = await api.request('POST', '/api/requirements', { body });
    expectProblem(response, 400);
    expect(await headPosition()).toBe(before);
  });

  it('names the path of each invalid field', async () => {
    const response = await api.request('POST', '/api/features', { body: { requirementId: 'nope', name: '', complexityPoints: 101, developer: 'x' } });
    expectProblem(response, 400);
    const paths = response.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.requirementId', 'body.name', 'body.complexityPoints']));
  });

  it('rejects a path id that is not a ULID', async () => {
    expectProblem(await api.request('POST', '/api/requirements/not-an-id/approve'), 400);
  });

  it('rejects a limit out of range and a forged cursor', async () => {
    expectProblem(await api.request('GET', '/api/features?limit=501'), 400);
    expectProblem(await api.request('GET', '/api/features?cursor=garbage'), 400);
  });

  it('rejects a malformed If-Match', async () => {
    expectProblem(await api.request('POST', '/api/requirements', { body: valid, headers: { 'if-match': 'yesterday' } }), 400);
  });
});

describe('content (413, 415)', () => {
  it('refuses a body that is not JSON with 415', async () => {
    expectProblem(await api.request('POST', '/api/requirements', { body: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
  });

  it('refuses a body over the limit with 413', async () => {
    const response = await api.request('POST', '/api/requirements', { body: { ...valid, description: 'x'.repeat(70 * 1024) } });
    expectProblem(response, 413);
  });
});

describe('authentication and roles (401, 403)', () => {
  it('needs a token', async () => {
    expectProblem(await api.request('GET', '/api/features', { role: null }), 401);
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await sign({ sub: 'mallory', role: 'admin' }, 'another-secret-another-secret-another-secret', 'HS256');
    expectProblem(await api.request('GET', '/api/features', { headers: { authorization: `Bearer ${forged}` } }), 401);
  });

  it('refuses an expired token', async () => {
    const expired = await sign({ sub: 'alice', role: 'admin', exp: Math.floor(Date.now() / 1000) - 60 }, TEST_SECRET, 'HS256');
    expectProblem(await api.request('GET', '/api/features', { headers: { authorization: `Bearer ${expired}` } }), 401);
  });

  it('refuses a token with an unknown role', async () => {
    const odd = await sign({ sub: 'alice', role: 'root' }, TEST_SECRET, 'HS256');
    expectProblem(await api.request('GET', '/api/features', { headers: { authorization: `Bearer ${odd}` } }), 401);
  });

  it('lets a viewer read but not command (403)', async () => {
    expect((await api.request('GET', '/api/features', { role: 'viewer' })).status).toBe(200);
    expectProblem(await api.request('POST', '/api/requirements', { role: 'viewer', body: valid }), 403);
  });
});

describe('unknown things (404)', () => {
  it('answers 404 for an unknown item and an unknown route', async () => {
    expectProblem(await api.request('GET', '/api/features/01ARZ3NDEKTSV4RRFFQ69G5FAV'), 404);
    expectProblem(await api.request('GET', '/api/nothing-here'), 404);
  });
});

describe('rate limit (429)', () => {
  it('answers 429 with Retry-After once a subject spends its burst', async () => {
    const limited = await startTestApp({}, { rateLimit: { rps: 1, burst: 3 } });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.request('GET', '/api/features', { sub: 'hasty' })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const response = await limited.request('GET', '/api/features', { sub: 'hasty' });
      expectProblem(response, 429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await limited.request('GET', '/api/features', { sub: 'patient' })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('commands without a payload', () => {
  it('accept an empty body with or without a JSON content type', async () => {
    const captured = await api.request('POST', '/api/requirements', { body: valid });
    const approve = await api.request('POST', `/api/requirements/${captured.body.id}/approve`, { headers: { 'content-type': 'application/json' } });
    expect(approve.status).toBe(200);
  });

  it('reject an empty body where a payload is required with a 400 listing the missing fields', async () => {
    const response = await api.request('POST', '/api/requirements', { headers: { 'content-type': 'application/json' } });
    expectProblem(response, 400);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['body.title', 'body.priority']));
  });

  it('reject a payload they do not take', async () => {
    const captured = await api.request('POST', '/api/requirements', { body: valid });
    expectProblem(await api.request('POST', `/api/requirements/${captured.body.id}/approve`, { body: { force: true } }), 400);
  });
});

describe('free text (400)', () => {
  it.each([
    ['a NUL in a title', { ...valid, title: 'a\u0000b' }, 'body.title'],
    ['a right-to-left override in a criterion', { ...valid, acceptanceCriteria: ['ok\u202Efdp.exe'] }, 'body.acceptanceCriteria.0'],
    ['an escape sequence in the description', { ...valid, description: 'x\u001b[2J' }, 'body.description'],
  ])('rejects %s and appends nothing', async (_case, body, path) => {
    const before = await headPosition();
    const response = await api.request('POST', '/api/requirements', { body });
    expectProblem(response, 400);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await headPosition()).toBe(before);
  });
});
