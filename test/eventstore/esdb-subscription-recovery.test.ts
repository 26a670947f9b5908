// The EventStoreDB adapter's subscription survives dropped subscriptions and a server restart,
// delivering every event exactly once, in log order.
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../src/backends/errors.js';
import {
  type EventStore,
  type EventToAppend,
  type StoredEvent,
  type Subscription,
} from '../../src/eventstore/port.js';
import { openEsdbEventStore } from '../../src/eventstore/esdb/index.js';
import { resubscribeDelay } from '../../src/eventstore/esdb/resilient-subscription.js';
import { startEsdbDouble, type EsdbDouble } from '../support/esdb-double/esdb-double.js';
import { SERVER_VERSIONS } from '../support/esdb-double/server-version.js';

const FAST_RESUBSCRIBE = { initialMs: 10, maxMs: 100 };

function events(count: number): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    type: 'FeatureUpdated',
    data: { index },
    metadata: {},
  }));
}

async function appendInChunks(store: EventStore, streams: string[], chunks: number, chunkSize: number): Promise<void> {
  for (let chunk = 0; chunk < chunks; chunk++) {
    await store.append(streams[chunk % streams.length]!, events(chunkSize), 'any');
  }
}

async function eventually(condition: () => boolean, description: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function retryUntilItSucceeds<T>(attempt: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function ids(stored: StoredEvent[]): string[] {
  return stored.map((event) => event.id);
}

describe.each(SERVER_VERSIONS)('against the double as %s', (serverVersion) => {
  describe('eventstoredb adapter: subscriptions that lose their connection', () => {
    let double: EsdbDouble | undefined;
    let store: EventStore | undefined;
    let subscription: Subscription | undefined;

    afterEach(async () => {
      await subscription?.stop();
      await store?.close();
      await double?.stop();
    });

    it('given drops in the middle of catch-up and of live delivery, then every event arrives exactly once in log order', async () => {
      double = await startEsdbDouble({ serverVersion });
      store = openEsdbEventStore({ connectionString: double.connectionString, resubscribeDelays: FAST_RESUBSCRIBE });
      const streams = [`feature-${ulid()}`, `build-${ulid()}`, `deployment-${ulid()}`];
      await appendInChunks(store, streams, 30, 10);
      const delivered: StoredEvent[] = [];
      const deliveredAtDrop: number[] = [];
      const dropThresholds = [40, 120, 200, 290];

      subscription = store.subscribeToAll({
        after: null,
        maxBatchSize: 10,
        onBatch: async (batch) => {
          delivered.push(...batch);
          if (delivered.length >= (dropThresholds[0] ?? Infinity)) {
            dropThresholds.shift();
            if (double!.dropSubscriptions() > 0) deliveredAtDrop.push(delivered.length);
          }
          await new Promise((resolve) => setImmediate(resolve));
        },
      });
      // Appends keep coming while the subscription is being dropped and resumed.
      await appendInChunks(store, streams, 10, 10);
      await eventually(() => delivered.length >= 400, 'the 400 events appended so far are delivered');
      for (let drop = 0; drop < 3; drop++) {
        await eventually(() => double!.dropSubscriptions() > 0, 'a live subscription exists to drop');
        await appendInChunks(store, streams, 2, 5);
      }
      await eventually(() => delivered.length >= 430, 'the events appended during live drops are delivered');
      await new Promise((resolve) => setTimeout(resolve, 100));

      const logged = await store.readAll();
      expect(logged).toHaveLength(430);
      // Four drops happened while the first 400 events were still being delivered.
      expect(deliveredAtDrop).toHaveLength(4);
      expect(deliveredAtDrop.every((count) => count > 0 && count < 400)).toBe(true);
      expect(ids(delivered)).toEqual(ids(logged));
    });

    it('given the server goes away and comes back on the same address, then delivery resumes after the last event without gaps', async () => {
      double = await startEsdbDouble({ serverVersion });
      const { port, log } = double;
      const warnings: unknown[] = [];
      store = openEsdbEventStore({
        connectionString: double.connectionString,
        resubscribeDelays: FAST_RESUBSCRIBE,
        logger: { warn: (details: unknown) => void warnings.push(details) },
      });
      const stream = `feature-${ulid()}`;
      await appendInChunks(store, [stream], 5, 10);
      const delivered: StoredEvent[] = [];
      subscription = store.subscribeToAll({ after: null, onBatch: async (batch) => void delivered.push(...batch) });
      await eventually(() => delivered.length === 50, 'the history is delivered');

      await double.stop();
      await expect(store.append(stream, events(1), 'any')).rejects.toBeInstanceOf(BackendUnavailableError);
      await new Promise((resolve) => setTimeout(resolve, 300));
      double = await startEsdbDouble({ port, log, serverVersion });
      await retryUntilItSucceeds(() => store!.append(stream, events(10), 'any'));
      await eventually(() => delivered.length >= 60, 'the events appended after the restart are delivered');
      await new Promise((resolve) => setTimeout(resolve, 100));

      expect(warnings.length).toBeGreaterThanOrEqual(2);
      expect(ids(delivered)).toEqual(ids(await store.readAll()));
      expect(delivered.map((event) => event.revision)).toEqual(Array.from({ length: 60 }, (_, revision) => revision));
    });
  });
});

describe('eventstoredb adapter: resubscription delays', () => {
  it('given failures in a row, then the delay doubles from the initial one up to the cap', () => {
    const delays = { initialMs: 100, maxMs: 5_000 };

    const sequence = Array.from({ length: 9 }, (_, failures) => resubscribeDelay(failures, delays));

    expect(sequence).toEqual([100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000]);
  });
});
