// Blue-green rebuilds on the MongoDB read store: MONGODB_URL when set, else the embedded FerretDB
// (test/setup/ferretdb.ts). One database per test, dropped at the end.
import { afterEach, describe, expect, inject, it } from 'vitest';
import { MongoClient } from 'mongodb';
import { openMongoReadStore } from '../../src/readstore/mongo/index.js';
import type { ReadStore } from '../../src/readstore/port.js';
import type { ProjectionService } from '../../src/projections/projection-service.js';
import { allProjections } from '../../src/projections/read-models/index.js';
import { appendDeliveryLog } from '../../bench/rebuild-log.js';
import { FIRST_BUILD_COLLECTION, generationsAfter, replayInto, service, snapshot, TempStores } from './support/stores.js';

const mongodbUrl = inject('mongodbUrl') ?? null;
const skipReason = 'SKIPPED: no MongoDB server (FerretDB binary not built: run scripts/build-ferretdb.sh, or set MONGODB_URL)';
if (mongodbUrl === null) console.warn(`blue-green rebuild on MongoDB ${skipReason}`);

const databases: string[] = [];
const stores: ReadStore[] = [];
let events: TempStores;
let running: ProjectionService | null = null;

async function mongoStore(): Promise<ReadStore> {
  const database = `agent_ledger_rebuild_${Date.now()}_${process.pid}_${databases.length}`;
  databases.push(database);
  const store = await openMongoReadStore({ url: mongodbUrl!, database });
  stores.push(store);
  return store;
}

afterEach(async () => {
  await running?.stop();
  running = null;
  for (const store of stores.splice(0)) await store.close();
  const client = new MongoClient(mongodbUrl!, { serverSelectionTimeoutMS: 2_000 });
  try {
    for (const database of databases.splice(0)) await client.db(database).dropDatabase();
  } finally {
    await client.close();
  }
  await events.cleanup();
});

describe.skipIf(mongodbUrl === null)('blue-green rebuild on MongoDB', () => {
  it('rebuilds every projection into new collections, swaps them in, drops the old ones, and ends equal to a fresh replay', { timeout: 120_000 }, async () => {
    events = new TempStores();
    await appendDeliveryLog(events.events, 150);
    const readStore = await mongoStore();
    running = service({ events: events.events, readStore }, allProjections());
    await running.start();
    expect(await running.waitForAll((await events.events.headPosition())!, 60_000)).toBe(true);

    await running.requestRebuild('all');
    await running.rebuildsSettled();

    const statuses = await running.status();
    expect(statuses.map((status) => status.generation)).toEqual(generationsAfter(allProjections(), 1));
    const logicals = allProjections().flatMap((projection) => Object.keys(projection.collections));
    expect(await snapshot(running, logicals)).toEqual(await replayInto(events.events, await mongoStore(), allProjections()));
    const collections = await readStore.listCollections();
    expect(collections.filter((name) => FIRST_BUILD_COLLECTION.test(name))).toEqual([]);
    expect(collections).toContain('rm_audit_v1_b1');
  });
});
