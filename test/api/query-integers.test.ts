import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Numbers in a query string are plain decimal integers: no hex, exponent, sign, blank or space.
let api: TestApp;
let id: string;
beforeAll(async () => {
  api = await startTestApp();
  const created = await api.request('POST', '/api/requirements', {
    body: { title: 'Numbers', description: '', priority: 'low', acceptanceCriteria: ['x'] },
  });
  id = created.body.id;
});
afterAll(async () => api.close());

describe('integer query parameters', () => {
  it.each(['', '0x1', '1e0', '+0', ' 0', '0.0', '-0'])('reject ?revision=%j with 400', async (value) => {
    const response = await api.request('GET', `/api/requirements/${id}?revision=${encodeURIComponent(value)}`);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('query.revision');
  });

  it.each(['0x10', '1e1', '', '10 '])('reject ?limit=%j with 400', async (value) => {
    const list = await api.request('GET', `/api/requirements?limit=${encodeURIComponent(value)}`);
    expect(list.status).toBe(400);
    const history = await api.request('GET', `/api/requirements/${id}/history?limit=${encodeURIComponent(value)}`);
    expect(history.status).toBe(400);
    const parked = await api.request('GET', `/api/projections/features/parked?limit=${encodeURIComponent(value)}`, { role: 'admin' });
    expect(parked.status).toBe(400);
  });

  it('accept decimal integers', async () => {
    expect((await api.request('GET', `/api/requirements/${id}?revision=0`)).status).toBe(200);
    expect((await api.request('GET', '/api/requirements?limit=010')).status).toBe(200);
  });
});
