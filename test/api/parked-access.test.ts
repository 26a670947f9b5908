import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Parked events carry event data and handler errors: only an admin reads them.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

describe('GET /api/projections/{name}/parked', () => {
  it.each(['viewer', 'engineer'] as const)('is refused to a %s with 403', async (role) => {
    const response = await api.request('GET', '/api/projections/features/parked', { role });
    expect(response.status).toBe(403);
    expect(response.body.detail).toContain("'admin'");
  });

  it('is answered to an admin', async () => {
    const response = await api.request('GET', '/api/projections/features/parked', { role: 'admin' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [], nextCursor: null });
  });

  it('leaves the projection overview to every role', async () => {
    expect((await api.request('GET', '/api/projections', { role: 'viewer' })).status).toBe(200);
  });
});
