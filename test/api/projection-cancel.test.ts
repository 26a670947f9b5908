import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// DELETE /api/projections/{name}/rebuild. The projections do not run here, so a requested
// rebuild stays requested (waiting for a worker) until it is cancelled.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp({}, { projections: { run: false } });
});
afterAll(async () => api.close());

describe('cancelling a rebuild', () => {
  it('given a requested rebuild, when an admin cancels it, then the status shows no rebuild', async () => {
    expect((await api.request('POST', '/api/projections/audit/rebuild', { role: 'admin' })).status).toBe(202);
    const before = await api.request('GET', '/api/projections', { role: 'admin' });
    expect(before.body.items.find((p: any) => p.name === 'audit').rebuild).not.toBeNull();
    const cancelled = await api.request('DELETE', '/api/projections/audit/rebuild', { role: 'admin' });
    expect(cancelled).toMatchObject({ status: 200, body: { cancelled: ['audit'] } });
    const after = await api.request('GET', '/api/projections', { role: 'admin' });
    expect(after.body.items.find((p: any) => p.name === 'audit').rebuild).toBeNull();
    expect((await api.request('DELETE', '/api/projections/audit/rebuild', { role: 'admin' })).body).toEqual({ cancelled: [] });
  });

  it('needs the admin role, and names a known projection', async () => {
    expect((await api.request('DELETE', '/api/projections/audit/rebuild', { role: 'engineer' })).status).toBe(403);
    expect((await api.request('DELETE', '/api/projections/nonesuch/rebuild', { role: 'admin' })).status).toBe(404);
  });
});
