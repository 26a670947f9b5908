import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The command side over HTTP: status codes and bodies of SPEC §5 for requirements, features, builds.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

const requirement = {
  title: 'Single sign-on',
  description: 'Users log in once',
  priority: 'high',
  acceptanceCriteria: ['login with SSO', 'logout everywhere'],
};

async function approvedRequirement(): Promise<string> {
  const captured = await api.request('POST', '/api/requirements', { body: requirement });
  expect(captured.status).toBe(201);
  const approved = await api.request('POST', `/api/requirements/${captured.body.id}/approve`);
  expect(approved.status).toBe(200);
  return captured.body.id;
}

async function feature(): Promise<string> {
  const requirementId = await approvedRequirement();
  const created = await api.request('POST', '/api/features', { body: { requirementId, name: 'Login', complexityPoints: 5, developer: 'bob' } });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe('requirements', () => {
  it('capture answers 201 with id, revision 0, position, commandId and the event types', async () => {
    const response = await api.request('POST', '/api/requirements', { body: requirement });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ revision: 0, events: ['RequirementCaptured'] });
    expect(response.body.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(response.body.commandId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(response.body.position).toMatch(/^\d+$/);
    expect(response.headers.get('etag')).toBe('"0"');
  });

  it('approve then reject: the second is a 422 domain rule', async () => {
    const id = await approvedRequirement();
    const rejected = await api.request('POST', `/api/requirements/${id}/reject`, { body: { reason: 'too late' } });
    expect(rejected.status).toBe(422);
    expect(rejected.headers.get('content-type')).toContain('application/problem+json');
    expect(rejected.body).toMatchObject({ status: 422, title: 'Unprocessable Content' });
  });

  it('revise of an unknown requirement is a 404', async () => {
    const response = await api.request('POST', '/api/requirements/01ARZ3NDEKTSV4RRFFQ69G5FAV/revise', { body: { title: 'x' } });
    expect(response.status).toBe(404);
  });

  it('the read model catches up and the item GET carries its revision as ETag', async () => {
    const id = await approvedRequirement();
    const approved = await api.request('POST', `/api/requirements/${id}/revise`, { body: { priority: 'critical' } });
    const item = await api.request('GET', `/api/requirements/${id}?consistentWith=${approved.body.position}`);
    expect(item.status).toBe(200);
    expect(item.body).toMatchObject({ id, revision: 2, status: 'approved', priority: 'critical', title: 'Single sign-on' });
    expect(item.headers.get('etag')).toBe('"2"');
  });
});

describe('features', () => {
  it('cannot be created for a requirement that is not approved (422)', async () => {
    const captured = await api.request('POST', '/api/requirements', { body: requirement });
    const response = await api.request('POST', '/api/features', {
      body: { requirementId: captured.body.id, name: 'Login', complexityPoints: 3, developer: 'bob' },
    });
    expect(response.status).toBe(422);
  });

  it('an update that changes nothing appends nothing and answers the current revision', async () => {
    const id = await feature();
    const before = await api.backends.events.headPosition();
    for (let i = 0; i < 2; i++) {
      const same = await api.request('PATCH', `/api/features/${id}`, { body: { complexityPoints: 5 } });
      expect(same.status).toBe(200);
      expect(same.body).toMatchObject({ id, revision: 0, events: [] });
      expect(same.headers.get('etag')).toBe('"0"');
    }
    expect(await api.backends.events.headPosition()).toBe(before);
  });

  it('update with a stale If-Match is a 409 and appends nothing', async () => {
    const id = await feature();
    const first = await api.request('PATCH', `/api/features/${id}`, { body: { name: 'SSO login' }, headers: { 'if-match': '"0"' } });
    expect(first.status).toBe(200);
    expect(first.body.revision).toBe(1);
    const stale = await api.request('PATCH', `/api/features/${id}`, { body: { name: 'Other' }, headers: { 'if-match': '"0"' } });
    expect(stale.status).toBe(409);
    const item = await api.request('GET', `/api/features/${id}?consistentWith=${first.body.position}`);
    expect(item.body).toMatchObject({ name: 'SSO login', revision: 1 });
  });

  it('a deleted feature takes no update (422)', async () => {
    const id = await feature();
    expect((await api.request('DELETE', `/api/features/${id}`)).status).toBe(200);
    expect((await api.request('PATCH', `/api/features/${id}`, { body: { complexityPoints: 8 } })).status).toBe(422);
  });

  it('concurrent updates without If-Match are all applied by automatic retry', async () => {
    const id = await feature();
    const updates = await Promise.all([1, 2, 3, 4, 5].map((n) => api.request('PATCH', `/api/features/${id}`, { body: { complexityPoints: n } })));
    expect(updates.map((u) => u.status)).toEqual([200, 200, 200, 200, 200]);
    expect(updates.map((u) => u.body.revision).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('lists features of a requirement, newest first, paginated with a cursor', async () => {
    const requirementId = await approvedRequirement();
    const ids: string[] = [];
    let last = '';
    for (const name of ['a', 'b', 'c']) {
      const created = await api.request('POST', '/api/features', { body: { requirementId, name, complexityPoints: 1, developer: 'eve' } });
      ids.push(created.body.id);
      last = created.body.position;
    }
    const first = await api.request('GET', `/api/features?requirementId=${requirementId}&limit=2&consistentWith=${last}`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((f: any) => f.name)).toEqual(['c', 'b']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.request('GET', `/api/features?requirementId=${requirementId}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((f: any) => f.name)).toEqual(['a']);
    expect(second.body.nextCursor).toBeNull();
  });
});

describe('builds', () => {
  it('records a result once; the second is refused', async () => {
    const featureId = await feature();
    const build = await api.request('POST', '/api/builds', { body: { featureId, commit: 'abc1234' } });
    expect(build.status).toBe(201);
    const result = await api.request('POST', `/api/builds/${build.body.id}/result`, { body: { outcome: 'succeeded', durationMs: 1200 } });
    expect(result.status).toBe(200);
    expect(result.body.events).toEqual(['BuildSucceeded']);
    const again = await api.request('POST', `/api/builds/${build.body.id}/result`, { body: { outcome: 'failed', durationMs: 1 } });
    expect([409, 422]).toContain(again.status);
  });

  it('cannot build a deleted feature (422)', async () => {
    const featureId = await feature();
    await api.request('DELETE', `/api/features/${featureId}`);
    const build = await api.request('POST', '/api/builds', { body: { featureId, commit: 'abc1234' } });
    expect(build.status).toBe(422);
  });
});
