import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// SPEC §3 over HTTP: undo, redo, revert, time travel, history, the command log and the audit timeline.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

async function approvedRequirement(): Promise<string> {
  const captured = await api.request('POST', '/api/requirements', {
    body: { title: 'Audit trail', description: '', priority: 'medium', acceptanceCriteria: ['every change is listed'] },
  });
  await api.request('POST', `/api/requirements/${captured.body.id}/approve`);
  return captured.body.id;
}

async function newFeature(name = 'Login', sub = 'alice') {
  const requirementId = await approvedRequirement();
  const created = await api.request('POST', '/api/features', { sub, body: { requirementId, name, complexityPoints: 5, developer: 'bob' } });
  expect(created.status).toBe(201);
  return created.body as { id: string; commandId: string; position: string };
}

async function feature(id: string, position: string) {
  return (await api.request('GET', `/api/features/${id}?consistentWith=${position}`)).body;
}

describe('undo', () => {
  it('given a rename, when it is undone, then the old name is back; undoing the undo redoes it', async () => {
    const { id } = await newFeature('Login');
    const rename = await api.request('PATCH', `/api/features/${id}`, { body: { name: 'SSO login' } });
    const undo = await api.request('POST', `/api/commands/${rename.body.commandId}/undo`);
    expect(undo.status).toBe(200);
    expect(undo.body.events).toEqual(['FeatureUpdated']);
    expect(await feature(id, undo.body.position)).toMatchObject({ name: 'Login', revision: 2 });

    const redo = await api.request('POST', `/api/commands/${undo.body.commandId}/undo`);
    expect(redo.status).toBe(200);
    expect(await feature(id, redo.body.position)).toMatchObject({ name: 'SSO login', revision: 3 });
  });

  it('given a delete, when it is undone, then the feature is restored', async () => {
    const { id } = await newFeature();
    const deleted = await api.request('DELETE', `/api/features/${id}`);
    const undo = await api.request('POST', `/api/commands/${deleted.body.commandId}/undo`);
    expect(undo.body.events).toEqual(['FeatureRestored']);
    expect(await feature(id, undo.body.position)).toMatchObject({ status: 'active' });
  });

  it('given a later command changed the same field, undo is a 409 naming that command', async () => {
    const { id } = await newFeature();
    const first = await api.request('PATCH', `/api/features/${id}`, { body: { name: 'First' } });
    const second = await api.request('PATCH', `/api/features/${id}`, { body: { name: 'Second' } });
    const undo = await api.request('POST', `/api/commands/${first.body.commandId}/undo`);
    expect(undo.status).toBe(409);
    expect(undo.body.detail).toContain(second.body.commandId);
    expect(undo.body.conflictingCommands).toEqual([second.body.commandId]);
  });

  it('given a later command changed another field only, undo still applies', async () => {
    const { id } = await newFeature();
    const rename = await api.request('PATCH', `/api/features/${id}`, { body: { name: 'Renamed' } });
    await api.request('PATCH', `/api/features/${id}`, { body: { complexityPoints: 13 } });
    const undo = await api.request('POST', `/api/commands/${rename.body.commandId}/undo`);
    expect(undo.status).toBe(200);
    expect(await feature(id, undo.body.position)).toMatchObject({ name: 'Login', complexityPoints: 13 });
  });

  it('refuses to undo a recorded fact (422) and an unknown command (404)', async () => {
    const { id: featureId } = await newFeature();
    const build = await api.request('POST', '/api/builds', { body: { featureId, commit: 'deadbeef' } });
    const result = await api.request('POST', `/api/builds/${build.body.id}/result`, { body: { outcome: 'succeeded', durationMs: 5 } });
    expect((await api.request('POST', `/api/commands/${result.body.commandId}/undo`)).status).toBe(422);
    expect((await api.request('POST', '/api/commands/01ARZ3NDEKTSV4RRFFQ69G5FAV/undo')).status).toBe(404);
  });

  it('the command log shows the command, its events and undoneBy / undoOf', async () => {
    const { id, commandId } = await newFeature('Logged');
    const undo = await api.request('POST', `/api/commands/${commandId}/undo`);
    await feature(id, undo.body.position);
    const original = await api.request('GET', `/api/commands/${commandId}`);
    expect(original.status).toBe(200);
    expect(original.body).toMatchObject({
      id: commandId,
      type: 'feature.create',
      actor: 'alice',
      aggregateType: 'feature',
      aggregateId: id,
      undoneBy: undo.body.commandId,
      events: [{ revision: 0, type: 'FeatureCreated', data: expect.objectContaining({ name: 'Logged' }) }],
    });
    const compensation = await api.request('GET', `/api/commands/${undo.body.commandId}`);
    expect(compensation.body).toMatchObject({ undoOf: commandId, events: [{ type: 'FeatureDeleted' }] });
  });

  it('a viewer cannot undo (403)', async () => {
    const { commandId } = await newFeature();
    expect((await api.request('POST', `/api/commands/${commandId}/undo`, { role: 'viewer' })).status).toBe(403);
  });
});

describe('revert and time travel', () => {
  it('reverts to an earlier revision with one FeatureReverted event; nothing before it is lost', async () => {
    const { id } = await newFeature('v0');
    await api.request('PATCH', `/api/features/${id}`, { body: { name: 'v1' } });
    await api.request('PATCH', `/api/features/${id}`, { body: { name: 'v2', complexityPoints: 40 } });
    const revert = await api.request('POST', `/api/features/${id}/revert`, { body: { toRevision: 1 } });
    expect(revert.status).toBe(200);
    expect(revert.body).toMatchObject({ revision: 3, events: ['FeatureReverted'] });
    expect(await feature(id, revert.body.position)).toMatchObject({ name: 'v1', complexityPoints: 5, revision: 3 });
    const history = await api.request('GET', `/api/features/${id}/history`);
    expect(history.body.items.map((e: any) => e.type)).toEqual(['FeatureCreated', 'FeatureUpdated', 'FeatureUpdated', 'FeatureReverted']);
  });

  it('refuses a revision beyond the end (422)', async () => {
    const { id } = await newFeature();
    expect((await api.request('POST', `/api/features/${id}/revert`, { body: { toRevision: 9 } })).status).toBe(422);
  });

  it('answers ?revision=N and ?at=<time> by replaying the stream', async () => {
    const { id } = await newFeature('Before');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await api.request('PATCH', `/api/features/${id}`, { body: { name: 'After' } });

    const atRevision = await api.request('GET', `/api/features/${id}?revision=0`);
    expect(atRevision.body).toMatchObject({ name: 'Before', revision: 0 });
    expect(atRevision.headers.get('etag')).toBe('"0"');
    const atTime = await api.request('GET', `/api/features/${id}?at=${encodeURIComponent(between)}`);
    expect(atTime.body).toMatchObject({ name: 'Before', revision: 0 });
    expect((await api.request('GET', `/api/features/${id}?revision=7`)).status).toBe(404);
    expect((await api.request('GET', `/api/features/${id}?at=2001-01-01T00:00:00Z`)).status).toBe(404);
    expect((await api.request('GET', `/api/features/${id}?revision=-1`)).status).toBe(400);
  });

  it('pages through history oldest first', async () => {
    const { id } = await newFeature();
    for (const points of [1, 2, 3, 4]) await api.request('PATCH', `/api/features/${id}`, { body: { complexityPoints: points } });
    const first = await api.request('GET', `/api/features/${id}/history?limit=2`);
    expect(first.body.items.map((e: any) => e.revision)).toEqual([0, 1]);
    expect(first.body.items[0].metadata).toMatchObject({ actor: 'alice', actorRole: 'engineer', schemaVersion: 1 });
    const second = await api.request('GET', `/api/features/${id}/history?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((e: any) => e.revision)).toEqual([2, 3]);
    const third = await api.request('GET', `/api/features/${id}/history?limit=2&cursor=${second.body.nextCursor}`);
    expect(third.body.items.map((e: any) => e.revision)).toEqual([4]);
    expect(third.body.nextCursor).toBeNull();
  });
});

describe('idempotency', () => {
  it('a retry with the same key and body returns the first response and appends nothing', async () => {
    const requirementId = await approvedRequirement();
    const body = { requirementId, name: 'Once', complexityPoints: 1, developer: 'kim' };
    const headers = { 'idempotency-key': `create-${requirementId}` };
    const first = await api.request('POST', '/api/features', { body, headers });
    const head = await api.backends.events.headPosition();
    const retry = await api.request('POST', '/api/features', { body, headers });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await api.backends.events.headPosition()).toBe(head);
  });

  it('the same key with another body is a 422', async () => {
    const requirementId = await approvedRequirement();
    const headers = { 'idempotency-key': `k-${requirementId}` };
    await api.request('POST', '/api/features', { body: { requirementId, name: 'A', complexityPoints: 1, developer: 'kim' }, headers });
    const other = await api.request('POST', '/api/features', { body: { requirementId, name: 'B', complexityPoints: 1, developer: 'kim' }, headers });
    expect(other.status).toBe(422);
  });

  it('racing duplicates append once', async () => {
    const requirementId = await approvedRequirement();
    const body = { requirementId, name: 'Race', complexityPoints: 2, developer: 'kim' };
    const headers = { 'idempotency-key': `race-${requirementId}` };
    const responses = await Promise.all(Array.from({ length: 8 }, () => api.request('POST', '/api/features', { body, headers })));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    const list = await api.request('GET', `/api/features?requirementId=${requirementId}&consistentWith=${responses[0]!.body.position}`);
    expect(list.body.items).toHaveLength(1);
  });

  it('keys are scoped to the actor', async () => {
    const requirementId = await approvedRequirement();
    const body = { requirementId, name: 'Mine', complexityPoints: 2, developer: 'kim' };
    const headers = { 'idempotency-key': `shared-${requirementId}` };
    const alice = await api.request('POST', '/api/features', { sub: 'alice', body, headers });
    const bob = await api.request('POST', '/api/features', { sub: 'bob', body, headers });
    expect(alice.body.id).not.toBe(bob.body.id);
  });
});

describe('audit timeline', () => {
  it('lists every step with its actor, newest first, by each filter', async () => {
    const { id, commandId } = await newFeature('Audited', 'carol');
    const rename = await api.request('PATCH', `/api/features/${id}`, { sub: 'dave', body: { name: 'Audited twice' }, headers: { 'x-correlation-id': 'change-42' } });
    const undo = await api.request('POST', `/api/commands/${rename.body.commandId}/undo`, { sub: 'erin' });
    const byAggregate = await api.request('GET', `/api/audit?aggregateId=${id}&consistentWith=${undo.body.position}`);
    expect(byAggregate.status).toBe(200);
    expect(byAggregate.body.items.map((e: any) => [e.actor, e.type, e.revision])).toEqual([
      ['erin', 'FeatureUpdated', 2],
      ['dave', 'FeatureUpdated', 1],
      ['carol', 'FeatureCreated', 0],
    ]);
    expect(byAggregate.body.items[1].summary).toBe("dave renamed feature 'Audited' to 'Audited twice'");
    expect(byAggregate.body.items[0]).toMatchObject({ undoOf: rename.body.commandId, aggregateType: 'feature', commandId: undo.body.commandId });

    const byActor = await api.request('GET', '/api/audit?actor=dave');
    expect(byActor.body.items.every((e: any) => e.actor === 'dave')).toBe(true);
    const byCorrelation = await api.request('GET', '/api/audit?correlationId=change-42');
    expect(byCorrelation.body.items.map((e: any) => e.commandId)).toEqual([rename.body.commandId]);
    const byCommand = await api.request('GET', `/api/audit?commandId=${commandId}`);
    expect(byCommand.body.items.map((e: any) => e.type)).toEqual(['FeatureCreated']);
    const byType = await api.request('GET', '/api/audit?type=FeatureCreated&aggregateType=feature&limit=500');
    expect(byType.body.items.some((e: any) => e.aggregateId === id)).toBe(true);
    const future = await api.request('GET', `/api/audit?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(future.body.items).toEqual([]);
  });

  it('pages never skip or repeat an entry while new events arrive', async () => {
    const { id } = await newFeature('Paged');
    for (let i = 1; i <= 6; i++) await api.request('PATCH', `/api/features/${id}`, { body: { complexityPoints: i } });
    const head = await api.backends.events.headPosition();
    const seen: number[] = [];
    let cursor: string | null = null;
    let page = await api.request('GET', `/api/audit?aggregateId=${id}&limit=3&consistentWith=${head}`);
    for (;;) {
      seen.push(...page.body.items.map((e: any) => e.revision));
      // Writes keep landing between pages.
      await api.request('PATCH', `/api/features/${id}`, { body: { developer: `dev-${seen.length}` } });
      cursor = page.body.nextCursor;
      if (!cursor) break;
      page = await api.request('GET', `/api/audit?aggregateId=${id}&limit=3&cursor=${cursor}`);
    }
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0]);
  });

  it('time windows keep entries whose stamps are out of commit order', async () => {
    // Commands stamp `at` when they decide; concurrent ones can commit in the other order.
    const stream = `feature-${'0'.repeat(10)}${Date.now().toString().padStart(16, '0')}`.slice(0, 34);
    const append = (at: string, name: string, expected: 'no_stream' | number) =>
      api.backends.events.append(stream, [{ id: crypto.randomUUID(), type: 'FeatureUpdated', data: { changes: { name }, previous: { name: 'x' } }, metadata: { actor: 'clock', at, commandId: name } }], expected);
    await append('2020-01-01T00:00:00.000Z', 'early', 'no_stream');
    await append('2020-01-01T00:00:20.500Z', 'x', 0); // stamped later, committed first
    await append('2020-01-01T00:00:20.100Z', 'a', 1);
    const last = await append('2020-01-01T00:01:00.000Z', 'late', 2);
    const query = (range: string) => api.request('GET', `/api/audit?actor=clock&${range}&consistentWith=${last.position}`);
    const fromOnly = await query('from=2020-01-01T00:00:20.000Z');
    expect(fromOnly.body.items.map((e: any) => e.commandId)).toEqual(['late', 'a', 'x']);
    const window = await query('from=2020-01-01T00:00:20.000Z&to=2020-01-01T00:00:20.400Z');
    expect(window.body.items.map((e: any) => e.commandId)).toEqual(['a']);
    const toOnly = await query('to=2020-01-01T00:00:20.200Z');
    expect(toOnly.body.items.map((e: any) => e.commandId)).toEqual(['a', 'early']);
  });

  it('refuses a history cursor it did not issue', async () => {
    const { id } = await newFeature();
    const forged = Buffer.from(JSON.stringify({ after: '-5' })).toString('base64url');
    expect((await api.request('GET', `/api/features/${id}/history?cursor=${forged}`)).status).toBe(400);
  });

  it('waits for consistentWith and answers 504 when the read model cannot reach it in 5 s', async () => {
    const response = await api.request('GET', '/api/audit?consistentWith=999999999999');
    expect(response.status).toBe(504);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  }, 10_000);
});
