// The EventStoreDB adapter against the ways a real server (23.10 or 24.10) refuses, fails or
// outpaces a request: every failure is either a clear, final error or a BackendUnavailableError
// whose retry lands the events exactly once.
import { randomUUID } from 'node:crypto';
import { EventStoreDBClient } from '@eventstore/db-client';
import { ulid } from 'ulid';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../src/backends/errors.js';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type EventToAppend,
  type StoredEvent,
  type Subscription,
} from '../../src/eventstore/port.js';
import { CheckpointAheadOfLogError, InvalidLogPositionError, openEsdbEventStore } from '../../src/eventstore/esdb/index.js';
import { BackendPolicy, ResilientEventStore } from '../../src/resilience/index.js';
import { findAppended } from '../../src/resilience/find-appended.js';
import type { AppendFault } from '../support/esdb-double/append-faults.js';
import { startEsdbDouble, type EsdbDouble } from '../support/esdb-double/esdb-double.js';
import { SERVER_VERSIONS } from '../support/esdb-double/server-version.js';

const FAST_RETRIES = { callTimeoutMs: 3_000, maxAttempts: 4, initialBackoffMs: 10, maxBackoffMs: 50, breakerThreshold: 50 };

function events(count: number, data: Record<string, unknown> = {}): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => ({ id: randomUUID(), type: 'FeatureUpdated', data: { index, ...data }, metadata: {} }));
}

async function rejectionOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

async function eventually(condition: () => boolean, description: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function idsOf(stored: StoredEvent[]): string[] {
  return stored.map((event) => event.id);
}

describe.each(SERVER_VERSIONS)('eventstoredb adapter against the double as %s', (serverVersion) => {
  let double: EsdbDouble | undefined;
  let store: EventStore | undefined;
  let subscription: Subscription | undefined;
  const warnings: unknown[] = [];

  async function start(options: { batchAppend?: boolean } = {}): Promise<EventStore> {
    double = await startEsdbDouble({ serverVersion, ...options });
    warnings.length = 0;
    store = openEsdbEventStore({
      connectionString: double.connectionString,
      requestTimeoutMs: 3_000,
      resubscribeDelays: { initialMs: 10, maxMs: 100 },
      logger: { warn: (details: unknown) => void warnings.push(details) },
    });
    return store;
  }

  afterEach(async () => {
    await subscription?.stop();
    await store?.close();
    await double?.stop();
    subscription = undefined;
  });

  describe('checkpoints the log cannot honour', () => {
    it('given a position inside a record, then readAll fails with InvalidLogPositionError at once, also through the retrying store', async () => {
      const adapter = await start();
      await adapter.append(`feature-${ulid()}`, events(2), 'no_stream');
      const [first] = await adapter.readAll();
      const resilient = new ResilientEventStore(adapter, new BackendPolicy('event store', FAST_RETRIES));

      const started = Date.now();
      const direct = await rejectionOf(adapter.readAll({ after: first!.position + 1n }));
      const retried = await rejectionOf(resilient.readAll({ after: first!.position + 1n }));

      for (const error of [direct, retried]) {
        expect(error).toBeInstanceOf(InvalidLogPositionError);
        expect(error).not.toBeInstanceOf(BackendUnavailableError);
        expect((error as InvalidLogPositionError).position).toBe(first!.position + 1n);
      }
      expect(Date.now() - started).toBeLessThan(1_000);
    });

    it('given a subscription checkpoint inside a record, then done rejects with InvalidLogPositionError and nothing is delivered', async () => {
      const adapter = await start();
      await adapter.append(`feature-${ulid()}`, events(3), 'no_stream');
      const [first] = await adapter.readAll();
      const delivered: StoredEvent[] = [];

      subscription = adapter.subscribeToAll({ after: first!.position + 1n, onBatch: async (batch) => void delivered.push(...batch) });

      await expect(subscription.done).rejects.toBeInstanceOf(InvalidLogPositionError);
      expect(delivered).toEqual([]);
    });

    it('given a subscription checkpoint beyond the head, then done rejects with CheckpointAheadOfLogError instead of silently skipping new events', async () => {
      const adapter = await start();
      await adapter.append(`feature-${ulid()}`, events(1), 'no_stream');
      const head = (await adapter.headPosition())!;
      const delivered: StoredEvent[] = [];

      subscription = adapter.subscribeToAll({ after: head + 1_000_000n, onBatch: async (batch) => void delivered.push(...batch) });
      await adapter.append(`feature-${ulid()}`, events(3), 'no_stream');

      const error = await rejectionOf(subscription.done);
      expect(error).toBeInstanceOf(CheckpointAheadOfLogError);
      expect((error as Error).message).toMatch(/ahead of the log/);
      expect(delivered).toEqual([]);
    });

    it('given a checkpoint at the last event, then the subscription starts and delivers what comes after it', async () => {
      const adapter = await start();
      await adapter.append(`feature-${ulid()}`, events(2), 'no_stream');
      const head = (await adapter.headPosition())!;
      const delivered: StoredEvent[] = [];

      subscription = adapter.subscribeToAll({ after: head, onBatch: async (batch) => void delivered.push(...batch) });
      const later = events(2);
      await adapter.append(`feature-${ulid()}`, later, 'no_stream');

      await eventually(() => delivered.length === 2, 'the later events arrive');
      expect(idsOf(delivered)).toEqual(later.map((event) => event.id));
    });
  });

  it('given maxCount 0, then readStream answers [] without asking the server, which would refuse it', async () => {
    const adapter = await start();
    const stream = `feature-${ulid()}`;
    await adapter.append(stream, events(2), 'no_stream');

    expect(await adapter.readStream(stream, { maxCount: 0 })).toEqual([]);
    expect(await adapter.readStream(stream, { maxCount: 0, direction: 'backwards' })).toEqual([]);
  });

  it('given a consumer slower than live events arrive, then every event still reaches onBatch exactly once, in order', async () => {
    const adapter = await start();
    const delivered: StoredEvent[] = [];
    subscription = adapter.subscribeToAll({
      after: null,
      maxBatchSize: 10,
      onBatch: async (batch) => {
        delivered.push(...batch);
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    });
    await adapter.append(`feature-${ulid()}`, events(1), 'no_stream');
    await eventually(() => delivered.length === 1, 'the subscription is live');

    const big = 'x'.repeat(4_000);
    for (let chunk = 0; chunk < 20; chunk++) await adapter.append(`feature-${ulid()}`, events(20, { big }), 'no_stream');
    await eventually(() => delivered.length >= 401, 'every event is delivered', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(idsOf(delivered)).toEqual(idsOf(await adapter.readAll()));
    const tooSlow = warnings.filter((warning) => /Consumer too slow/.test(String((warning as { err?: Error }).err?.message)));
    // 23.10 drops the subscription and the adapter resubscribes; 24.10 falls back on its own.
    if (serverVersion === '23.10') expect(tooSlow.length).toBeGreaterThan(0);
    else expect(warnings).toEqual([]);
  }, 40_000);

  describe.each([
    { path: 'BatchAppend', batchAppend: true },
    { path: 'Append', batchAppend: false },
  ])('appends through $path', ({ batchAppend }) => {
    it('given an append whose reply was lost to a write timeout, when it is retried with the same events, then it lands once with its first result', async () => {
      const adapter = await start({ batchAppend });
      const stream = `feature-${ulid()}`;
      const batch = events(2);
      double!.appendFaults.failNext('timeout');

      const lost = await rejectionOf(adapter.append(stream, batch, 'no_stream'));
      const retried = await adapter.append(stream, batch, 'no_stream');

      expect(lost).toBeInstanceOf(BackendUnavailableError);
      const stored = await adapter.readStream(stream);
      expect(idsOf(stored)).toEqual(batch.map((event) => event.id));
      expect(retried).toEqual({ nextRevision: 1, position: stored[1]!.position });
    });

    it.each([
      { fault: 'not_leader' as AppendFault, planned: batchAppend ? 1 : 4, written: false },
      { fault: 'not_ready' as AppendFault, planned: 4, written: false },
      { fault: 'timeout' as AppendFault, planned: 4, written: true },
    ])('given four pending appends and a $fault failure, then each gets BackendUnavailableError and the retrying store lands each once', async ({ fault, planned, written }) => {
      const adapter = await start({ batchAppend });
      const streams = Array.from({ length: 4 }, () => `feature-${ulid()}`);
      const batches = streams.map(() => events(2));
      double!.appendFaults.hold();

      const pending = streams.map((stream, index) => rejectionOf(adapter.append(stream, batches[index]!, 'no_stream')));
      await eventually(() => double!.appendFaults.held === 4, 'all four appends reach the server');
      double!.appendFaults.failNext(fault, planned);
      double!.appendFaults.release();
      const failures = await Promise.all(pending);

      for (const failure of failures) expect(failure).toBeInstanceOf(BackendUnavailableError);
      for (const stream of streams) expect((await adapter.readStream(stream)).length).toBe(written ? 2 : 0);
      const resilient = new ResilientEventStore(adapter, new BackendPolicy('event store', FAST_RETRIES));
      for (const [index, stream] of streams.entries()) {
        await resilient.append(stream, batches[index]!, 'no_stream');
        expect(idsOf(await adapter.readStream(stream))).toEqual(batches[index]!.map((event) => event.id));
      }
    });
  });

  it('given an event id that is not a UUID or is the nil UUID, then the append is refused with RangeError before reaching the server', async () => {
    const adapter = await start();
    const stream = `feature-${ulid()}`;
    const recordsBefore = double!.log.records.length;

    for (const id of ['feature-1', '', '00000000-0000-0000-0000-000000000000', `${randomUUID()}x`]) {
      const error = await rejectionOf(adapter.append(stream, [{ id, type: 'FeatureUpdated', data: {}, metadata: {} }], 'any'));
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(/event id must be a non-nil UUID/);
    }
    expect(double!.log.records.length).toBe(recordsBefore);
  });

  it('given an upper-case event id, then it reads back in lower case and the unknown-outcome check still finds it', async () => {
    const adapter = await start();
    const stream = `feature-${ulid()}`;
    const batch = events(2).map((event) => ({ ...event, id: event.id.toUpperCase() }));

    const result = await adapter.append(stream, batch, 'no_stream');

    const stored = await adapter.readStream(stream);
    expect(idsOf(stored)).toEqual(batch.map((event) => event.id.toLowerCase()));
    expect(await findAppended(adapter, stream, batch, 'no_stream')).toEqual(result);
  });

  it("given a soft-deleted stream, when appending expecting 'stream_exists', then it is a WrongExpectedRevisionError with actual 'no_stream'", async () => {
    const adapter = await start();
    const stream = `feature-${ulid()}`;
    await adapter.append(stream, events(1), 'no_stream');
    const client = EventStoreDBClient.connectionString(double!.connectionString);
    await client.deleteStream(stream);
    await client.dispose();

    const error = await rejectionOf(adapter.append(stream, events(1), 'stream_exists'));

    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ streamName: stream, expected: 'stream_exists', actual: 'no_stream' });
    expect(await adapter.readStream(stream)).toEqual([]);
  });
});
