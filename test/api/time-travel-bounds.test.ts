import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// ?revision and ?at together: the state at that revision, as the stream stood at that time.
let api: TestApp;
let id: string;
beforeAll(async () => {
  api = await startTestApp();
  const requirement = await api.request('POST', '/api/requirements', { body: { title: 'T', description: '', priority: 'low', acceptanceCriteria: ['x'] } });
  await api.request('POST', `/api/requirements/${requirement.body.id}/approve`);
  const feature = await api.request('POST', '/api/features', { body: { requirementId: requirement.body.id, name: 'Before', complexityPoints: 1, developer: 'kim' } });
  id = feature.body.id;
  await api.request('PATCH', `/api/features/${id}`, { body: { name: 'After' } });
});
afterAll(async () => api.close());

describe('?revision with ?at', () => {
  it('given both, answers the revision when it existed by then', async () => {
    const now = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    const response = await api.request('GET', `/api/features/${id}?revision=0&at=${now}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'Before', revision: 0 });
  });

  it('given both, is 404 when the revision did not exist yet at that time', async () => {
    const response = await api.request('GET', `/api/features/${id}?revision=1&at=2001-01-01T00:00:00Z`);
    expect(response.status).toBe(404);
  });
});
