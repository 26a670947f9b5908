// Leases over each read store adapter, with a clock the test moves and heartbeats the test
// runs: two "processes" (two WorkLeases on two handles to one store) share the work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { openEmbeddedReadStore } from '../../src/readstore/embedded/index.js';
import { openMongoReadStore } from '../../src/readstore/mongo/index.js';
import type { ReadStore } from '../../src/readstore/port.js';
import { LeaseStore } from '../../src/leases/lease-store.js';
import { LostLeaseError, WorkLeases, type LeasedWork } from '../../src/leases/work-leases.js';

/** Opens handles to one fresh store per test; `drop` removes it afterwards. */
interface StoreFactory {
  fresh(): { open(): Promise<ReadStore>; drop(): Promise<void> };
}

const embedded: StoreFactory = {
  fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'agent-ledger-leases-'));
    return { open: async () => openEmbeddedReadStore({ file: join(dir, 'read-models.db') }), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

const mongodbUrl = inject('mongodbUrl') ?? null;
let databases = 0;
const mongo: StoreFactory = {
  fresh() {
    const database = `agent_ledger_leases_${process.pid}_${Date.now()}_${++databases}`;
    const open = () => openMongoReadStore({ url: mongodbUrl!, database });
    return {
      open,
      drop: async () => {
        const store = await open();
        for (const name of await store.listCollections()) await store.dropCollection(name);
        await store.close();
      },
    };
  },
};

function recordingWork(name: string, log: string[], who: string): LeasedWork {
  return {
    name,
    start: async () => void log.push(`${who} starts ${name}`),
    stop: async () => void log.push(`${who} stops ${name}`),
  };
}

leaseSuite('embedded', embedded);
if (mongodbUrl === null) describe.skip('leases on MongoDB SKIPPED: FerretDB binary not built: run scripts/build-ferretdb.sh (or set MONGODB_URL)', () => it('runs', () => undefined));
else leaseSuite('mongodb', mongo, process.env.MONGODB_URL ? undefined : 'FerretDB (SQLite backend) does not apply a conditional update atomically; set MONGODB_URL to run it');

/** `racesUnsupported`: why racing acquisitions cannot be checked on this server (they skip, loudly). */
function leaseSuite(adapter: string, factory: StoreFactory, racesUnsupported?: string): void {
  if (racesUnsupported) console.warn(`leases on ${adapter}: racing acquisitions SKIPPED: ${racesUnsupported}`);
let target: ReturnType<StoreFactory['fresh']>;
let stores: ReadStore[];
let now: number;
const clock = () => now;

beforeEach(() => {
  target = factory.fresh();
  stores = [];
  now = 1_000_000;
});

afterEach(async () => {
  for (const store of stores) await store.close();
  await target.drop();
});

async function process(): Promise<{ leases: WorkLeases; store: LeaseStore }> {
  const readStore = await target.open();
  stores.push(readStore);
  const store = new LeaseStore(readStore, clock);
  return { store, leases: new WorkLeases(store, { ttlMs: 5_000, heartbeatMs: 1_000, clock }) };
}

describe(`lease store on ${adapter}`, () => {
  it('a running lease is refused to others and renewed for its holder', async () => {
    const { store } = await process();

    expect(await store.acquire('projection:features', 'a', 5_000)).toBe(true);
    expect(await store.acquire('projection:features', 'b', 5_000)).toBe(false);
    now += 4_000;
    expect(await store.acquire('projection:features', 'a', 5_000)).toBe(true);
    now += 4_000;
    expect(await store.acquire('projection:features', 'b', 5_000)).toBe(false);
    expect(await store.get('projection:features')).toMatchObject({ owner: 'a', expiresAt: 1_008_000 + 5_000 - 4_000 });
  });

  it.skipIf(racesUnsupported !== undefined)('an expired lease goes to the first who asks, and only to one of several racing', async () => {
    const { store } = await process();
    await store.acquire('agent:incident', 'a', 5_000);
    now += 5_001;

    const results = await Promise.all(['b', 'c', 'd'].map((owner) => store.acquire('agent:incident', owner, 5_000)));

    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.holders()).get('agent:incident')).toBe(['b', 'c', 'd'][results.indexOf(true)]);
  });

  it('a released lease is free at once and no longer listed as held', async () => {
    const { store } = await process();
    await store.acquire('projection:audit', 'a', 5_000);

    await store.release('projection:audit', 'a');

    expect((await store.holders()).has('projection:audit')).toBe(false);
    expect(await store.acquire('projection:audit', 'b', 5_000)).toBe(true);
  });
});

describe(`work leases on ${adapter}`, () => {
  it('each piece of work runs in one process; when its holder stops beating, the other takes it over after the TTL', async () => {
    const log: string[] = [];
    const first = await process();
    const second = await process();
    for (const name of ['projection:features', 'agent:incident']) {
      first.leases.add(recordingWork(name, log, 'first'));
      second.leases.add(recordingWork(name, log, 'second'));
    }
    await first.leases.beat();
    await second.leases.beat();
    expect(log).toEqual(['first starts projection:features', 'first starts agent:incident']);
    expect(first.leases.holds('projection:features')).toBe(true);
    expect(second.leases.holds('projection:features')).toBe(false);
    expect(() => second.leases.assertHeld('agent:incident')).toThrow(LostLeaseError);

    // The first process hangs (no more heartbeats). Before the lease runs out it is still its own.
    now += 4_500;
    await second.leases.beat();
    expect(log).toHaveLength(2);
    // Its own fence closes a heartbeat before the stored expiry, so it stops writing first.
    expect(first.leases.holds('projection:features')).toBe(false);

    now += 600;
    await second.leases.beat();
    expect(log.slice(2)).toEqual(['second starts projection:features', 'second starts agent:incident']);

    // The first process wakes up: it finds the leases gone and stops its work.
    await first.leases.beat();
    expect(log.slice(4)).toEqual(['first stops projection:features', 'first stops agent:incident']);

    await first.leases.stop();
    await second.leases.stop();
  });

  it('a graceful stop hands the work over at the other process\'s next heartbeat', async () => {
    const log: string[] = [];
    const first = await process();
    const second = await process();
    first.leases.add(recordingWork('projection:features', log, 'first'));
    second.leases.add(recordingWork('projection:features', log, 'second'));
    await first.leases.beat();
    await second.leases.beat();

    await first.leases.stop();
    await second.leases.beat();

    expect(log).toEqual(['first starts projection:features', 'first stops projection:features', 'second starts projection:features']);
    await second.leases.stop();
  });
});
}
