import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/eventstore/port.js';
import type { ReadStore } from '../../src/readstore/port.js';
import type { Projection } from '../../src/projections/projection.js';
import type { ProjectionService } from '../../src/projections/projection-service.js';
import { allProjections } from '../../src/projections/read-models/index.js';
import { ProjectionRegistry } from '../../src/projections/projection-registry.js';
import { RebuildClaims } from '../../src/projections/rebuild/rebuild-claims.js';
import { appendDeliveryLog } from '../../bench/rebuild-log.js';
import { appendNumbered, eventually, freshReplay, generationsAfter, service, snapshot, TempStores } from './support/stores.js';
import { countingProjection } from './support/test-projections.js';

/** Holds whoever applies the event at `position`, once armed: the live runners have passed it by then. */
class Gate {
  armedAt: bigint | null = null;
  reached = false;
  open: () => void = () => {};
  private readonly opened = new Promise<void>((resolve) => (this.open = resolve));

  wrap(projection: Projection): Projection {
    return {
      ...projection,
      apply: async (event, context) => {
        if (this.armedAt !== null && event.position === this.armedAt) {
          this.reached = true;
          await this.opened;
        }
        return projection.apply(event, context);
      },
    };
  }
}

let stores: TempStores;
const services: ProjectionService[] = [];
const extraConnections: Array<{ events: EventStore; readStore: ReadStore }> = [];
let gate: Gate;
beforeEach(() => {
  stores = new TempStores();
  gate = new Gate();
});
afterEach(async () => {
  gate.open();
  for (const running of services.splice(0)) await running.stop();
  for (const connection of extraConnections.splice(0)) {
    await connection.events.close();
    await connection.readStore.close();
  }
  await stores.cleanup();
});

const logicals = (projections: Projection[]) => projections.flatMap((projection) => Object.keys(projection.collections));

function started(connection: { events: EventStore; readStore: ReadStore }, projections: Projection[], options = {}): ProjectionService {
  const running = service(connection, projections, { rebuild: { batchSize: 200, heartbeatMs: 50 }, ...options });
  services.push(running);
  return running;
}

/** Starts the projections, lets them reach the head, then arms the gate halfway through the log and asks for a rebuild. */
async function rebuildStuckHalfway(connection: { events: EventStore; readStore: ReadStore }, options = {}): Promise<{ running: ProjectionService; head: bigint }> {
  const running = started(connection, allProjections().map((projection) => gate.wrap(projection)), options);
  await running.start();
  const head = (await connection.events.headPosition())!;
  expect(await running.waitForAll(head, 20_000)).toBe(true);
  gate.armedAt = head / 2n;
  await running.requestRebuild('all');
  await eventually(async () => gate.reached, 'the rebuild to reach the middle of the log');
  return { running, head };
}

describe('a rebuild interrupted midway', () => {
  it('stopped, then started again on the same files: the live version was untouched meanwhile, and the rebuild resumes and ends as a fresh replay would', async () => {
    await appendDeliveryLog(stores.events, 4_000);
    const { running } = await rebuildStuckHalfway(stores);
    const liveAuditBefore = await running.collection('audit').count({});

    const stopping = running.stop();
    gate.open();
    await stopping;
    await stores.close();

    const restarted = stores.openMore();
    extraConnections.push(restarted);
    const claims = await new RebuildClaims(restarted.readStore).all();
    const byName = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect(claims.sort(byName).map((claim) => [claim.id, claim.owner, claim.target])).toEqual(
      allProjections().map((projection) => ({ id: projection.name, projection })).sort(byName).map(({ projection }) => [projection.name, null, { version: projection.version, build: 1 }]),
    );
    const entries = await new ProjectionRegistry(restarted.readStore).entries();
    expect([...entries.values()].map((entry) => entry.liveBuild)).toEqual(allProjections().map(() => 0));

    const resumed = started(restarted, allProjections());
    await resumed.start();
    expect(await resumed.collection('audit').count({})).toBe(liveAuditBefore);
    await resumed.rebuildsSettled();
    const head = (await restarted.events.headPosition())!;
    expect(await resumed.waitForAll(head, 20_000)).toBe(true);

    const statuses = await resumed.status();
    expect(statuses.map((status) => status.generation)).toEqual(generationsAfter(allProjections(), 1));
    // Resumed from its checkpoint, not started over: this run read only the second part of the log.
    expect(statuses.every((status) => status.lastRebuild!.events < Number(head))).toBe(true);
    expect(await snapshot(resumed, logicals(allProjections()))).toEqual(await freshReplay(stores, allProjections(), restarted.events));
  });

  it('killed (its process stuck and never heard of again): another process takes the rebuild over once its heartbeat is stale, and the stuck one writes nothing when it wakes up', async () => {
    await appendDeliveryLog(stores.events, 3_000);
    const stuck = await rebuildStuckHalfway(stores);

    const other = stores.openMore();
    extraConnections.push(other);
    const takeover = started(other, allProjections(), { rebuild: { batchSize: 200, heartbeatMs: 50, staleAfterMs: 300 } });
    await takeover.start();
    await eventually(async () => (await takeover.status()).every((status, i) => status.generation === generationsAfter(allProjections(), 1)[i] && status.rebuild === null), 'the rebuild finished by the other process', 20_000);
    gate.open();
    await stuck.running.rebuildsSettled();

    const head = (await other.events.headPosition())!;
    expect(await takeover.waitForAll(head, 20_000)).toBe(true);
    expect(await snapshot(takeover, logicals(allProjections()))).toEqual(await freshReplay(stores, allProjections()));
  });

  it('a claim left behind after its swap (a crash between the two writes) is cleared at start', async () => {
    await appendNumbered(stores.events, 'n', 5);
    const claims = new RebuildClaims(stores.readStore);
    const claim = (await claims.claim('counter', 'requested'))!;
    await claims.take(claim.id, 'gone-process', { version: 1, build: 0 });

    const running = started(stores, [countingProjection()]);
    await running.start();

    expect(await claims.all()).toEqual([]);
    expect((await running.status())[0]).toMatchObject({ generation: 'v1', rebuild: null });
  });

  it('generations a crash left behind are dropped at start, the live one kept', async () => {
    await appendNumbered(stores.events, 'n', 5);
    const first = started(stores, [countingProjection()]);
    await first.start();
    expect(await first.waitForAll((await stores.events.headPosition())!, 5_000)).toBe(true);
    await first.stop();
    await stores.readStore.collection('rm_counter_counts_v1_b7').put({ id: 'n', count: 1 });
    await new ProjectionRegistry(stores.readStore).saveCheckpoint('counter', { version: 1, build: 7 }, 3n);

    await started(stores, [countingProjection()]).start();

    const collections = await stores.readStore.listCollections();
    expect(collections).toContain('rm_counter_counts_v1');
    expect(collections).not.toContain('rm_counter_counts_v1_b7');
    expect(await new ProjectionRegistry(stores.readStore).checkpoint('counter', { version: 1, build: 7 })).toBeNull();
  });
});
