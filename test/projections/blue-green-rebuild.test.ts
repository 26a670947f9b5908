import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectionService } from '../../src/projections/projection-service.js';
import type { Projection } from '../../src/projections/projection.js';
import { allProjections } from '../../src/projections/read-models/index.js';
import { RebuildConflictError, UnknownProjectionError } from '../../src/projections/rebuild/rebuild-errors.js';
import { appendDeliveryLog } from '../../bench/rebuild-log.js';
import { appendNumbered, eventually, FIRST_BUILD_COLLECTION, freshReplay, generationsAfter, service, snapshot, TempStores } from './support/stores.js';
import { countingProjection } from './support/test-projections.js';

let stores: TempStores;
let running: ProjectionService | null = null;
beforeEach(() => {
  stores = new TempStores();
});
afterEach(async () => {
  await running?.stop();
  running = null;
  await stores.cleanup();
});

const logicalNames = (projections: Projection[]) => projections.flatMap((projection) => Object.keys(projection.collections));

describe('blue-green rebuild', () => {
  it('builds every projection beside the live one while events and queries go on, swaps each in, drops the old, and ends equal to a fresh replay', async () => {
    const projections = allProjections();
    await appendDeliveryLog(stores.events, 3_000);
    // Small batches: more turns for the queries while the rebuild runs.
    running = service(stores, projections, { rebuild: { batchSize: 50 }, runner: { batchSize: 100 } });
    await running.start();
    expect(await running.waitForAll((await stores.events.headPosition())!, 20_000)).toBe(true);
    const auditBefore = await running.collection('audit').count({});
    const someFeature = (await running.collection('features').find({}, { limit: 1 }))[0]!;

    let writing = true;
    const writer = (async () => {
      while (writing) {
        await appendDeliveryLog(stores.events, 20);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const queries = { made: 0, auditCounts: [] as number[] };
    let querying = true;
    const reader = (async () => {
      while (querying) {
        // Never an empty or half-built model: the audit only grows, a known feature is always there.
        queries.auditCounts.push(await running!.collection('audit').count({}));
        expect(await running!.collection('features').get(someFeature.id)).not.toBeNull();
        queries.made++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    const headAtRequest = Number(await stores.events.headPosition());
    const tickets = await running.requestRebuild('all');
    expect(tickets.map((ticket) => ticket.projection)).toEqual(projections.map((projection) => projection.name));
    const midway = await running.status();
    expect(midway.map((status) => [status.status, status.rebuild?.state])).toEqual(projections.map(() => ['rebuilding', 'running']));
    await running.rebuildsSettled();

    writing = false;
    await writer;
    querying = false;
    await reader;
    expect(await running.waitForAll((await stores.events.headPosition())!, 20_000)).toBe(true);

    expect(queries.made).toBeGreaterThan(3);
    expect(queries.auditCounts[0]).toBeGreaterThanOrEqual(auditBefore);
    expect(queries.auditCounts).toEqual([...queries.auditCounts].sort((a, b) => a - b));
    const statuses = await running.status();
    expect(statuses.map((status) => status.generation)).toEqual(generationsAfter(projections, 1));
    expect(statuses.every((status) => status.rebuild === null && status.lastRebuild?.status === 'swapped')).toBe(true);
    // Each new generation had read the whole log as it was when asked before it was swapped in.
    expect(statuses.map((status) => status.lastRebuild!.events >= headAtRequest)).toEqual(projections.map(() => true));
    expect(await snapshot(running, logicalNames(projections))).toEqual(await freshReplay(stores, projections));
    await eventually(async () => !(await stores.readStore.listCollections()).some((name) => FIRST_BUILD_COLLECTION.test(name)), 'the old generation dropped');
  });

  it('refuses a second rebuild of a projection while one is requested or running, and claims nothing for `all` then', async () => {
    await appendNumbered(stores.events, 'n', 50);
    running = service(stores, [countingProjection('a'), countingProjection('b')], { run: false });
    await running.start();

    await running.requestRebuild('a');

    await expect(running.requestRebuild('a')).rejects.toBeInstanceOf(RebuildConflictError);
    const conflict = await running.requestRebuild('all').catch((error: unknown) => error);
    expect(conflict).toBeInstanceOf(RebuildConflictError);
    expect((conflict as RebuildConflictError).projections).toEqual(['a']);
    expect((await running.status()).map((status) => status.rebuild?.state ?? null)).toEqual(['requested', null]);
  });

  it('a cancelled rebuild leaves the live generation as it was, drops what was built, and its builder writes nothing more', async () => {
    await appendNumbered(stores.events, 'n', 40);
    let open = () => {};
    let reached = false;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const counter = countingProjection();
    const gated: Projection = {
      ...counter,
      async apply(event, context) {
        if ((event.data as { n: number }).n === 30) {
          reached = true;
          await gate;
        }
        await counter.apply(event, context);
      },
    };
    running = service(stores, [gated], { run: false, rebuild: { batchSize: 10 } });
    await running.start();
    const built = running.rebuildHere('counter');
    await eventually(async () => reached, 'the rebuild under way');

    expect(await running.cancelRebuild('all')).toEqual(['counter']);
    open();
    const report = await built;

    expect(report.swapped).toBe(false);
    expect((await running.status())[0]).toMatchObject({ generation: 'v1', rebuild: null });
    expect((await stores.readStore.listCollections()).filter((name) => name.startsWith('rm_counter_counts_v1_b'))).toEqual([]);
    expect(await running.cancelRebuild('counter')).toEqual([]);
  });

  it('an unknown projection name is refused', async () => {
    running = service(stores, [countingProjection()]);
    await running.start();
    await expect(running.requestRebuild('nope')).rejects.toBeInstanceOf(UnknownProjectionError);
  });

  it('when the code version of a projection changes, it is rebuilt in the background while the old version keeps answering', async () => {
    await appendNumbered(stores.events, 'n', 30);
    running = service(stores, [countingProjection('counter', 1)]);
    await running.start();
    expect(await running.waitForAll((await stores.events.headPosition())!, 5_000)).toBe(true);
    await running.stop();

    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const v2: Projection = {
      ...countingProjection('counter', 2),
      async apply(event, context) {
        if ((event.data as { n: number }).n === 20) await gate;
        const category = event.streamName.split('-')[0]!;
        await context.update('counter_counts', category, (doc) => ({ id: category, count: ((doc?.count as number | undefined) ?? 0) + 1, version: 2 }));
      },
    };
    running = service(stores, [v2]);
    await running.start();

    const during = (await running.status())[0]!;
    expect(during).toMatchObject({ version: 1, generation: 'v1', codeVersion: 2, status: 'rebuilding', rebuild: { reason: 'version_changed' } });
    expect(await running.collection('counter_counts').get('n')).toMatchObject({ count: 30 });
    expect((await running.collection('counter_counts').get('n'))?.version).toBeUndefined();

    open();
    await running.rebuildsSettled();
    await appendNumbered(stores.events, 'm', 1);
    expect(await running.waitForAll((await stores.events.headPosition())!, 5_000)).toBe(true);
    expect((await running.status())[0]).toMatchObject({ version: 2, generation: 'v2_b1', status: 'live', rebuild: null });
    expect(await running.collection('counter_counts').get('n')).toMatchObject({ count: 30, version: 2 });
    await eventually(async () => !(await stores.readStore.listCollections()).includes('rm_counter_counts_v1'), 'version 1 dropped');
  });
});
