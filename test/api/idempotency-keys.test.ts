import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// An Idempotency-Key belongs to the request that reached the command; a request refused before
// that (invalid input, a bad precondition, an unknown id) leaves the key free for the corrected retry.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

const requirement = { title: 'Keys', description: '', priority: 'low', acceptanceCriteria: ['x'] };
let n = 0;
const key = () => ({ 'idempotency-key': `key-${++n}` });

describe('Idempotency-Key after a refused request', () => {
  it('a 400 for an invalid body leaves the key for the corrected retry', async () => {
    const headers = key();
    const invalid = await api.request('POST', '/api/requirements', { body: { ...requirement, priority: 'urgent' }, headers });
    expect(invalid.status).toBe(400);
    const corrected = await api.request('POST', '/api/requirements', { body: requirement, headers });
    expect(corrected.status).toBe(201);
    const retried = await api.request('POST', '/api/requirements', { body: requirement, headers });
    expect(retried.body).toEqual(corrected.body);
  });

  it('a 400 for a bad If-Match and a 412 leave the key too', async () => {
    const headers = key();
    expect((await api.request('POST', '/api/requirements', { body: requirement, headers: { ...headers, 'if-match': '"x' } })).status).toBe(400);
    expect((await api.request('POST', '/api/requirements', { body: requirement, headers: { ...headers, 'if-match': '*' } })).status).toBe(412);
    expect((await api.request('POST', '/api/requirements', { body: requirement, headers })).status).toBe(201);
  });

  it('a 404 for an unknown id leaves the key', async () => {
    const headers = key();
    const unknown = await api.request('POST', '/api/requirements/01JD4Z3N8Q9V7W2X5Y6Z7A8B9C/approve', { headers });
    expect(unknown.status).toBe(404);
    const created = await api.request('POST', '/api/requirements', { body: requirement, headers });
    expect(created.status).toBe(201);
  });

  it('a 422 from a domain rule keeps the key: the retry gets the same answer', async () => {
    const created = await api.request('POST', '/api/requirements', { body: requirement });
    const headers = key();
    const feature = { requirementId: created.body.id, name: 'Too early', complexityPoints: 1, developer: 'kim' };
    const refused = await api.request('POST', '/api/features', { body: feature, headers });
    expect(refused.status).toBe(422);
    const again = await api.request('POST', '/api/features', { body: feature, headers });
    expect(again.status).toBe(422);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });
});
