import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// SPEC §6: ?dryRun=true on undo and revert previews the events and appends nothing.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

async function featureRenamedTwice() {
  const captured = await api.request('POST', '/api/requirements', {
    body: { title: 'Preview', description: '', priority: 'low', acceptanceCriteria: ['shown first'] },
  });
  await api.request('POST', `/api/requirements/${captured.body.id}/approve`);
  const created = await api.request('POST', '/api/features', { body: { requirementId: captured.body.id, name: 'One', complexityPoints: 3, developer: 'ann' } });
  const first = await api.request('PATCH', `/api/features/${created.body.id}`, { body: { name: 'Two' } });
  const second = await api.request('PATCH', `/api/features/${created.body.id}`, { body: { complexityPoints: 8 } });
  return { id: created.body.id as string, first: first.body.commandId as string, second: second.body.commandId as string };
}

async function historyLength(id: string): Promise<number> {
  return (await api.request('GET', `/api/features/${id}/history`)).body.items.length;
}

describe('dry run', () => {
  it('given a rename, when its undo is previewed, then the restoring event is shown and nothing is appended', async () => {
    const { id, first } = await featureRenamedTwice();
    const preview = await api.request('POST', `/api/commands/${first}/undo?dryRun=true`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ dryRun: true, aggregateType: 'feature', id, revision: 2 });
    expect(preview.body.events).toEqual([{ type: 'FeatureUpdated', data: { changes: { name: 'One' }, previous: { name: 'Two' } } }]);
    expect(await historyLength(id)).toBe(3);
    // The real undo appends exactly what the preview showed.
    const undo = await api.request('POST', `/api/commands/${first}/undo`);
    expect(undo.body.events).toEqual(['FeatureUpdated']);
    expect(await historyLength(id)).toBe(4);
  });

  it('a preview of a conflicting undo is the same 409 naming the later command', async () => {
    const { id, first } = await featureRenamedTwice();
    const rename = await api.request('PATCH', `/api/features/${id}`, { body: { name: 'Three' } });
    const preview = await api.request('POST', `/api/commands/${first}/undo?dryRun=true`);
    expect(preview.status).toBe(409);
    expect(preview.body.conflictingCommands).toEqual([rename.body.commandId]);
  });

  it('given a feature at revision 2, when a revert to 0 is previewed, then one FeatureReverted with the old state is shown and nothing is appended', async () => {
    const { id } = await featureRenamedTwice();
    const preview = await api.request('POST', `/api/features/${id}/revert?dryRun=true`, { body: { toRevision: 0 } });
    expect(preview.status).toBe(200);
    expect(preview.body.events).toHaveLength(1);
    expect(preview.body.events[0]).toMatchObject({ type: 'FeatureReverted', data: expect.objectContaining({ toRevision: 0 }) });
    expect(JSON.stringify(preview.body.events[0].data)).toContain('"One"');
    expect(await historyLength(id)).toBe(3);
  });

  it('a viewer cannot preview (403), and dryRun only takes true or false (400)', async () => {
    const { first, id } = await featureRenamedTwice();
    expect((await api.request('POST', `/api/commands/${first}/undo?dryRun=true`, { role: 'viewer' })).status).toBe(403);
    expect((await api.request('POST', `/api/features/${id}/revert?dryRun=yes`, { body: { toRevision: 0 } })).status).toBe(400);
  });
});
