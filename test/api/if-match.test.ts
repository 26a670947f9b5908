import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// If-Match takes exactly the ETags this API issues: "<revision>" or W/"<revision>", or `*`.
let api: TestApp;
let id: string;
beforeAll(async () => {
  api = await startTestApp();
  const created = await api.request('POST', '/api/requirements', { body: requirement });
  id = created.body.id;
});
afterAll(async () => api.close());

const requirement = { title: 'Preconditions', description: '', priority: 'low', acceptanceCriteria: ['x'] };

describe('If-Match', () => {
  it.each(['"34', '34"', '34', '"-1"', '"1e3"', '"007"', '"1", "2"', 'W/34', '""', '"0x1"'])('rejects %j with 400 and appends nothing', async (value) => {
    const before = await api.backends.events.headPosition();
    const response = await api.request('POST', `/api/requirements/${id}/revise`, { body: { title: 'Changed' }, headers: { 'if-match': value } });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('header.if-match');
    expect(await api.backends.events.headPosition()).toBe(before);
  });

  it('on a create, `*` (the resource must exist) fails with 412 and appends nothing', async () => {
    const before = await api.backends.events.headPosition();
    const response = await api.request('POST', '/api/requirements', { body: requirement, headers: { 'if-match': '*' } });
    expect(response.status).toBe(412);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await api.backends.events.headPosition()).toBe(before);
  });

  it('accepts the strong and weak forms of an issued ETag, and `*` on an existing id', async () => {
    const item = await api.request('GET', `/api/requirements/${id}`);
    const strong = await api.request('POST', `/api/requirements/${id}/revise`, { body: { title: 'Strong' }, headers: { 'if-match': item.headers.get('etag')! } });
    expect(strong.status).toBe(200);
    const weak = await api.request('POST', `/api/requirements/${id}/revise`, { body: { title: 'Weak' }, headers: { 'if-match': `W/"${strong.body.revision}"` } });
    expect(weak.status).toBe(200);
    const any = await api.request('POST', `/api/requirements/${id}/revise`, { body: { title: 'Any' }, headers: { 'if-match': '*' } });
    expect(any.status).toBe(200);
  });
});
