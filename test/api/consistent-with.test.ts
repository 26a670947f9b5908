import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// ?consistentWith=: the read waits until the read model has applied that position, or answers 504.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

describe('consistentWith', () => {
  it('given an empty log, position 0 is answered at once: every read model includes it', async () => {
    const started = Date.now();
    const list = await api.request('GET', '/api/incidents?consistentWith=0');
    const item = await api.request('GET', '/api/features/01JD4Z3N8Q9V7W2X5Y6Z7A8B9C?consistentWith=0');
    expect(list.status).toBe(200);
    expect(item.status).toBe(404);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('given a position past the head of the log, the 504 comes at once and carries Retry-After', async () => {
    const started = Date.now();
    const response = await api.request('GET', '/api/incidents?consistentWith=999999999999');
    expect(response.status).toBe(504);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(response.body.detail).toMatch(/past the head of the log/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
