import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Concurrent commands to one feature over HTTP: they share writes, and each keeps its own answer.
let api: TestApp;
let featureId: string;

beforeAll(async () => {
  api = await startTestApp();
  const requirement = await api.request('POST', '/api/requirements', { body: { title: 'Hot', description: '', priority: 'low', acceptanceCriteria: ['a'] } });
  await api.request('POST', `/api/requirements/${requirement.body.id}/approve`);
  const feature = await api.request('POST', '/api/features', { body: { requirementId: requirement.body.id, name: 'hot', complexityPoints: 1, developer: 'd' } });
  featureId = feature.body.id;
});
afterAll(async () => {
  await api.close();
});

describe('commands racing on one aggregate', () => {
  it('given 10 concurrent updates with their own Idempotency-Keys, each answers at its own revision, and a repeated key answers the same again', async () => {
    const patch = (i: number) =>
      api.request('PATCH', `/api/features/${featureId}`, { body: { complexityPoints: i + 2 }, headers: { 'idempotency-key': `hot-${i}` } });
    const first = await Promise.all(Array.from({ length: 10 }, (_, i) => patch(i)));
    expect(first.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(first.map((r) => r.body.revision).sort((a: number, b: number) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    const again = await Promise.all(Array.from({ length: 10 }, (_, i) => patch(i)));
    expect(again.map((r) => r.body)).toEqual(first.map((r) => r.body));
    expect(await api.backends.events.readStream(`feature-${featureId}`)).toHaveLength(11);
  });

  it('given a delete racing with updates, each update decided after it gets its own problem+json 4xx, and the others succeed', async () => {
    const updates = Array.from({ length: 6 }, (_, i) => api.request('PATCH', `/api/features/${featureId}`, { body: { complexityPoints: 40 + i } }));
    const deleted = api.request('DELETE', `/api/features/${featureId}`);
    const answers = await Promise.all(updates);
    expect((await deleted).status).toBe(200);

    const events = await api.backends.events.readStream(`feature-${featureId}`);
    const deletedAt = events.findIndex((e) => e.type === 'FeatureDeleted');
    expect(events.slice(deletedAt + 1)).toEqual([]);
    for (const answer of answers) {
      if (answer.status === 200) {
        expect(answer.body.revision).toBeLessThan(deletedAt);
      } else {
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
      }
    }
  });
});
