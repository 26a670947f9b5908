import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Writable } from 'node:stream';
import type { ReadStore } from '../../src/readstore/port.js';
import type { ProjectionService } from '../../src/projections/projection-service.js';
import type { Projection } from '../../src/projections/projection.js';
import { appendNumbered, eventually, service, TempStores } from './support/stores.js';
import { poisonableProjection, recordingProjection } from './support/test-projections.js';

let stores: TempStores;
let running: ProjectionService | null = null;
let release = () => {};
beforeEach(() => {
  stores = new TempStores();
});
afterEach(async () => {
  release();
  await running?.stop();
  running = null;
  await stores.cleanup();
});

async function runUntilHead(projections: Projection[], readStore: ReadStore = stores.readStore, options = {}): Promise<ProjectionService> {
  running = service({ events: stores.events, readStore }, projections, { runner: { maxAttempts: 3, retryDelayMs: 5 }, ...options });
  await running.start();
  const head = await stores.events.headPosition();
  expect(await running.waitForAll(head!, 10_000)).toBe(true);
  return running;
}

describe('poison events', () => {
  it('given a handler that keeps failing on one event, it is retried a bounded number of times, parked with its error, and the projection goes on', async () => {
    const poison = new Set([3]);
    const ledger = poisonableProjection(poison);
    await appendNumbered(stores.events, 'n', 10);

    const projections = await runUntilHead([ledger, recordingProjection()]);

    expect(ledger.attempts.get(3)).toBe(3);
    const totals = projections.collection('ledger_totals');
    expect((await totals.get('all'))?.sum).toBe(45 - 3);
    expect((await totals.get('count'))?.events).toBe(9);
    const parked = await projections.parkedEvents('ledger', { limit: 10 });
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ error: 'cannot handle 3', attempts: 3, retries: 0, event: { type: 'Numbered', streamName: 'n-3', data: { n: 3 } } });
    // The other projection never saw a failure.
    expect(await projections.collection('recorder_applied').count({})).toBe(10);
    const status = (await projections.status()).find((item) => item.name === 'ledger')!;
    expect(status).toMatchObject({ parked: 1, lag: 0, status: 'live' });
  });

  it('a retry after the handler is fixed applies the parked events and empties the list', async () => {
    const poison = new Set([3, 7]);
    await appendNumbered(stores.events, 'n', 10);
    const projections = await runUntilHead([poisonableProjection(poison)]);

    poison.clear();
    const answer = await projections.retryParked('ledger');

    expect(answer).toEqual({ done: true, retried: 2, succeeded: 2, stillParked: 0 });
    expect((await projections.collection('ledger_totals').get('all'))?.sum).toBe(45);
    expect((await projections.collection('ledger_totals').get('count'))?.events).toBe(10);
    expect(await projections.parkedEvents('ledger', { limit: 10 })).toEqual([]);
  });

  it('a retry that fails again keeps the event, with the new error and one more retry counted', async () => {
    await appendNumbered(stores.events, 'n', 5);
    const projections = await runUntilHead([poisonableProjection(new Set([2]))]);

    const answer = await projections.retryParked('ledger');

    expect(answer).toEqual({ done: true, retried: 1, succeeded: 0, stillParked: 1 });
    expect(await projections.parkedEvents('ledger', { limit: 10 })).toMatchObject([{ retries: 1, error: 'cannot handle 2' }]);
    expect((await projections.collection('ledger_totals').get('all'))?.sum).toBe(10 - 2);
  });

  it('parked events are listed in log order, page by page', async () => {
    await appendNumbered(stores.events, 'n', 12);
    const projections = await runUntilHead([poisonableProjection(new Set([1, 4, 6, 9, 11]))]);

    const first = await projections.parkedEvents('ledger', { limit: 2 });
    const second = await projections.parkedEvents('ledger', { limit: 2, after: first[1]!.position });
    const third = await projections.parkedEvents('ledger', { limit: 2, after: second[1]!.position });

    expect([...first, ...second, ...third].map((parked) => (parked.event.data as { n: number }).n)).toEqual([1, 4, 6, 9, 11]);
  });

  it('a read store failure is not blamed on the event: nothing is parked and the batch is applied once the store is back', async () => {
    await appendNumbered(stores.events, 'n', 5);
    let failuresLeft = 2;
    const flaky: ReadStore = {
      ...stores.readStore,
      collection: (name) => {
        const inner = stores.readStore.collection(name);
        if (name !== 'rm_ledger_totals_v1') return inner;
        return { ...bindAll(inner), bulk: (ops) => (failuresLeft-- > 0 ? Promise.reject(new Error('disk full')) : inner.bulk(ops)) };
      },
      ensureIndexes: (collection, indexes) => stores.readStore.ensureIndexes(collection, indexes),
      dropCollection: (name) => stores.readStore.dropCollection(name),
      listCollections: () => stores.readStore.listCollections(),
      ping: () => stores.readStore.ping(),
      close: () => stores.readStore.close(),
    };

    const projections = await runUntilHead([poisonableProjection(new Set())], flaky);

    expect(failuresLeft).toBeLessThan(0);
    expect((await projections.collection('ledger_totals').get('count'))?.events).toBe(5);
    expect(await projections.parkedEvents('ledger', { limit: 10 })).toEqual([]);
  });

  it('a projection behind the head whose checkpoint does not move is reported stalled and logged', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const hanging: Projection = {
      name: 'hanging',
      version: 1,
      collections: { hanging_docs: [] },
      async apply(event) {
        if ((event.data as { n: number }).n === 2) await stuck;
      },
    };
    await appendNumbered(stores.events, 'n', 4);
    running = service(stores, [hanging], { stallAfterMs: 200, logger });
    await running.start();

    const stalled = await eventually(async () => (await running!.status())[0]!.status === 'stalled', 'a stalled status');
    expect(stalled).toBe(true);
    expect(lines.some((line) => line.includes('projection stalled'))).toBe(true);

    release();
    expect(await running.waitForAll((await stores.events.headPosition())!, 5_000)).toBe(true);
    expect((await running.status())[0]!.status).toBe('live');
  });
});

/** The methods of a class instance as own properties, so they survive a spread. */
function bindAll<T extends object>(instance: T): T {
  const bound: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(Object.getPrototypeOf(instance))) {
    const value = (instance as Record<string, unknown>)[key];
    if (typeof value === 'function' && key !== 'constructor') bound[key] = value.bind(instance);
  }
  return bound as T;
}
