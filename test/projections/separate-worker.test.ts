import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/index.js';
import { openEmbeddedReadStore } from '../../src/readstore/embedded/index.js';
import { allProjections } from '../../src/projections/read-models/index.js';
import type { ProjectionService } from '../../src/projections/projection-service.js';
import type { EventStore } from '../../src/eventstore/port.js';
import type { ReadStore } from '../../src/readstore/port.js';
import { appendDeliveryLog } from '../../bench/rebuild-log.js';
import { eventually, service } from './support/stores.js';

// The API only observes (run: false); a worker on the same files runs the projections.
let dataDir: string;
let api: TestApp;
let worker: ProjectionService;
let workerStores: { events: EventStore; readStore: ReadStore };

async function start(): Promise<void> {
  dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-worker-'));
  workerStores = { events: openSqliteEventStore({ file: join(dataDir, 'events.db') }), readStore: openEmbeddedReadStore({ file: join(dataDir, 'read-models.db') }) };
  worker = service(workerStores, allProjections(), { registryPollMs: 50, retireAfterMs: 1_500 });
  await worker.start();
  api = await startTestApp({}, { dataDir, projections: { run: false, registryPollMs: 50 } });
}

afterEach(async () => {
  await api.close();
  await worker.stop();
  await workerStores.events.close();
  await workerStores.readStore.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('projections in a separate worker', () => {
  it('a rebuild asked of the API is run by the worker, and the API answers from the new generation once swapped', async () => {
    await start();
    await appendDeliveryLog(workerStores.events, 1_000);
    const requirement = await api.request('POST', '/api/requirements', { body: { title: 'SSO', description: 'x', priority: 'high', acceptanceCriteria: ['works'] } });
    const read = await api.request('GET', `/api/requirements/${requirement.body.id}?consistentWith=${requirement.body.position}`);
    expect(read.status).toBe(200);

    const accepted = await api.request('POST', '/api/projections/requirements/rebuild', { role: 'admin' });
    expect(accepted.status).toBe(202);
    expect(accepted.body.items).toMatchObject([{ projection: 'requirements', state: 'requested' }]);

    const swapped = await eventually(async () => {
      const items = (await api.request('GET', '/api/projections')).body.items as Array<{ name: string; generation: string }>;
      return items.find((item) => item.name === 'requirements' && item.generation === 'v1_b1');
    }, 'the swap, seen from the API');
    expect(swapped).toMatchObject({ status: 'live', rebuild: null, lastRebuild: { status: 'swapped' } });
    // The API has followed the swap: it reads the new generation before the old one is dropped.
    expect(api.projections.liveGenerationOf('requirements')).toEqual({ version: 1, build: 1 });
    const again = await api.request('GET', `/api/requirements/${requirement.body.id}`);
    expect(again.status).toBe(200);
    await eventually(async () => !(await workerStores.readStore.listCollections()).includes('rm_requirements_v1'), 'the old generation dropped');
    expect((await api.request('GET', `/api/requirements/${requirement.body.id}`)).status).toBe(200);
  });

  it('a parked retry asked of the API is handed to the worker (202)', async () => {
    await start();
    const response = await api.request('POST', '/api/projections/audit/parked/retry', { role: 'admin' });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ state: 'requested' });
    await eventually(async () => (await worker.registry.entry('audit'))?.parkedRetryRequestedAt === null, 'the worker to take the request');
  });
});
