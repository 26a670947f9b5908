import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { allProjections } from '../../src/projections/read-models/index.js';
import { openEmbeddedReadStore } from '../../src/readstore/embedded/index.js';
import { appendDeliveryLog } from '../../bench/rebuild-log.js';
import { appendNumbered, eventually, generationsAfter, replayInto, snapshot } from './support/stores.js';
import { poisonableProjection } from './support/test-projections.js';

let api: TestApp | null = null;
afterEach(async () => {
  await api?.close();
  api = null;
});

const fastPolling = { registryPollMs: 50, retireAfterMs: 0 };

/** A client doing what people do: capture and approve requirements, create features, read them back. */
function scriptedClient(app: TestApp) {
  const failures: string[] = [];
  const featureCounts: number[] = [];
  let requests = 0;
  let running = true;
  const check = (what: string, response: { status: number; body: unknown }, expected: number) => {
    requests++;
    if (response.status !== expected) failures.push(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  };
  const done = (async () => {
    for (let i = 0; running; i++) {
      const requirement = await app.request('POST', '/api/requirements', {
        body: { title: `Requirement ${i}`, description: 'x', priority: 'high', acceptanceCriteria: ['it works'] },
      });
      check('capture', requirement, 201);
      check('approve', await app.request('POST', `/api/requirements/${requirement.body.id}/approve`), 200);
      const feature = await app.request('POST', '/api/features', { body: { requirementId: requirement.body.id, name: `Feature ${i}`, complexityPoints: 3, developer: 'bob' } });
      check('create feature', feature, 201);
      check('read own write', await app.request('GET', `/api/features/${feature.body.id}?consistentWith=${feature.body.position}`), 200);
      const list = await app.request('GET', '/api/features?limit=500');
      check('list', list, 200);
      featureCounts.push(list.body.items.length);
      check('audit', await app.request('GET', `/api/audit?limit=5&consistentWith=${feature.body.position}`), 200);
    }
  })();
  return {
    failures,
    featureCounts,
    get requests() {
      return requests;
    },
    async stop() {
      running = false;
      await done;
    },
  };
}

describe('projection operations over HTTP', () => {
  it('lists every projection with its live generation, checkpoint, lag, status and parked count, to viewers too', async () => {
    api = await startTestApp({}, { projections: fastPolling });
    await appendDeliveryLog(api.backends.events, 200);
    expect(await api.projections.waitForAll((await api.backends.events.headPosition())!, 10_000)).toBe(true);

    const response = await api.request('GET', '/api/projections', { role: 'viewer' });

    expect(response.status).toBe(200);
    expect(response.body.items.map((item: { name: string }) => item.name)).toEqual(allProjections().map((projection) => projection.name));
    expect(response.body.items[0]).toEqual({
      name: 'requirements',
      version: 1,
      generation: 'v1',
      codeVersion: 1,
      checkpoint: expect.stringMatching(/^\d+$/),
      lag: 0,
      status: 'live',
      lastError: null,
      parked: 0,
      rebuild: null,
      lastRebuild: null,
      // The test app runs its projections without leases.
      heldBy: null,
    });
  });

  it('rebuild: 403 below admin, 404 for an unknown projection, 202 with a ticket, 409 while that rebuild runs', async () => {
    api = await startTestApp({}, { projections: { ...fastPolling, rebuild: { batchSize: 50 } } });
    await appendDeliveryLog(api.backends.events, 3_000);

    expect((await api.request('POST', '/api/projections/features/rebuild')).status).toBe(403);
    const unknown = await api.request('POST', '/api/projections/nope/rebuild', { role: 'admin' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    const accepted = await api.request('POST', '/api/projections/features/rebuild', { role: 'admin' });
    const again = await api.request('POST', '/api/projections/all/rebuild', { role: 'admin' });

    expect(accepted.status).toBe(202);
    expect(accepted.body.items).toEqual([{ id: expect.stringMatching(/^[0-9A-Z]{26}$/), projection: 'features', state: 'running', reason: 'requested' }]);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: 409, projections: ['features'] });
    await api.projections.rebuildsSettled();
    const features = (await api.request('GET', '/api/projections')).body.items.find((item: { name: string }) => item.name === 'features');
    expect(features).toMatchObject({ generation: 'v1_b1', rebuild: null, lastRebuild: { id: accepted.body.items[0].id, status: 'swapped' } });
  });

  it('while a scripted client keeps sending commands and queries, every projection is rebuilt; no query fails or sees a partial model; afterwards every read model equals a fresh replay', async () => {
    api = await startTestApp({}, { projections: { ...fastPolling, rebuild: { batchSize: 100 } } });
    await appendDeliveryLog(api.backends.events, 3_000);
    expect(await api.projections.waitForAll((await api.backends.events.headPosition())!, 20_000)).toBe(true);
    const client = scriptedClient(api);
    await eventually(async () => client.requests > 10, 'the client under way');

    const accepted = await api.request('POST', '/api/projections/all/rebuild', { role: 'admin' });
    expect(accepted.status).toBe(202);
    const seen = new Set<string>();
    await eventually(async () => {
      const items = (await api!.request('GET', '/api/projections')).body.items as Array<{ status: string; generation: string; rebuild: unknown }>;
      for (const item of items) seen.add(item.status);
      return items.every((item, i) => item.generation === generationsAfter(allProjections(), 1)[i] && item.rebuild === null);
    }, 'every projection swapped', 30_000);
    await eventually(async () => client.requests > 60, 'more requests after the swap');
    await client.stop();

    expect(seen).toContain('rebuilding');
    expect(client.failures).toEqual([]);
    expect(client.featureCounts).toEqual([...client.featureCounts].sort((a, b) => a - b));
    expect(await api.projections.waitForAll((await api.backends.events.headPosition())!, 20_000)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'agent-ledger-replay-'));
    const replayStore = openEmbeddedReadStore({ file: join(dir, 'replay.db') });
    try {
      const logicals = allProjections().flatMap((projection) => Object.keys(projection.collections));
      expect(await snapshot(api.projections, logicals)).toEqual(await replayInto(api.backends.events, replayStore, allProjections()));
    } finally {
      await replayStore.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parked events are listed page by page with their error, and a retry after a fix applies them', async () => {
    const poison = new Set([2, 5]);
    api = await startTestApp({}, { projections: { ...fastPolling, runner: { retryDelayMs: 1 } }, withProjections: [poisonableProjection(poison)] });
    const head = await appendNumbered(api.backends.events, 'n', 8);
    expect(await api.projections.waitForAll(head, 10_000)).toBe(true);

    const first = await api.request('GET', '/api/projections/ledger/parked?limit=1', { role: 'admin' });
    const second = await api.request('GET', `/api/projections/ledger/parked?limit=1&cursor=${first.body.nextCursor}`, { role: 'admin' });
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      expect.objectContaining({ streamName: 'n-2', type: 'Numbered', revision: 0, error: 'cannot handle 2', attempts: 3, retries: 0, data: { n: 2 } }),
    ]);
    expect(second.body).toEqual({ items: [expect.objectContaining({ streamName: 'n-5' })], nextCursor: null });
    expect((await api.request('GET', '/api/projections/ledger/parked?cursor=nonsense', { role: 'admin' })).status).toBe(400);
    expect((await api.request('GET', '/api/projections/nope/parked', { role: 'admin' })).status).toBe(404);
    expect((await api.request('POST', '/api/projections/ledger/parked/retry')).status).toBe(403);

    poison.delete(2);
    const retried = await api.request('POST', '/api/projections/ledger/parked/retry', { role: 'admin' });

    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ retried: 2, succeeded: 1, stillParked: 1 });
    expect((await api.request('GET', '/api/projections/ledger/parked', { role: 'admin' })).body.items.map((item: { streamName: string }) => item.streamName)).toEqual(['n-5']);
    expect((await api.request('GET', '/api/projections')).body.items[0]).toMatchObject({ name: 'ledger', parked: 1 });
  });

  it('/metrics carries lag, parked and rebuild progress gauges per projection', async () => {
    api = await startTestApp({}, { projections: fastPolling, withProjections: [poisonableProjection(new Set([1]))] });
    expect(await api.projections.waitForAll(await appendNumbered(api.backends.events, 'n', 3), 10_000)).toBe(true);

    const metrics = await api.request('GET', '/metrics', { role: null });

    expect(metrics.body).toContain('agent_ledger_projection_lag_events{projection="ledger"} 0');
    expect(metrics.body).toContain('agent_ledger_projection_parked_events{projection="ledger"} 1');
    expect(metrics.body).toContain('agent_ledger_projection_rebuild_progress_ratio{projection="ledger"} 0');
    expect(metrics.body).toContain('agent_ledger_projection_rebuild_events_per_second{projection="ledger"} 0');
  });
});
