import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// ?from / ?to on the audit timeline compare as instants, whatever their offset or year.
let api: TestApp;
let position: string;
beforeAll(async () => {
  api = await startTestApp();
  const created = await api.request('POST', '/api/requirements', {
    body: { title: 'Time bounds', description: '', priority: 'low', acceptanceCriteria: ['x'] },
  });
  position = created.body.position;
});
afterAll(async () => api.close());

describe('audit time bounds', () => {
  it.each([
    ['the last instant of year 9999', '9999-12-31T23:59:59Z'],
    ['an offset that is still within year 9999 in UTC', '9999-12-31T10:00:00+14:00'],
    ['an instant far in the future', '9000-01-01T00:00:00Z'],
  ])('given an entry, ?to at %s finds it', async (_case, to) => {
    const page = await api.request('GET', `/api/audit?to=${encodeURIComponent(to)}&consistentWith=${position}`);
    expect(page.status).toBe(200);
    expect(page.body.items.map((e: { type: string }) => e.type)).toEqual(['RequirementCaptured']);
  });

  it('given an entry, ?from in year 0000 finds it', async () => {
    const page = await api.request('GET', `/api/audit?from=${encodeURIComponent('0000-01-01T00:00:00Z')}&consistentWith=${position}`);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
  });

  it.each([
    ['to', '9999-12-31T10:00:00-14:00'],
    ['from', '0000-01-01T00:00:00+01:00'],
  ])('rejects ?%s=%s, which is outside years 0000..9999 in UTC, with 400', async (bound, value) => {
    const page = await api.request('GET', `/api/audit?${bound}=${encodeURIComponent(value)}`);
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toContain('application/problem+json');
    expect(page.body.errors[0].path).toBe(`query.${bound}`);
  });
});
