// What the EventStoreDB adapter adds beyond the shared contract: configuration errors, bounded
// waits when the server is missing or mute, and never letting the server's own events through.
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { ulid } from 'ulid';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../src/backends/errors.js';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type EventToAppend,
  type StoredEvent,
} from '../../src/eventstore/port.js';
import { EventStoreUrlError, openEsdbEventStore } from '../../src/eventstore/esdb/index.js';
import { toClientExpectedRevision, toRevisionNumber } from '../../src/eventstore/esdb/conversions.js';
import { startEsdbDouble, type EsdbDouble } from '../support/esdb-double/esdb-double.js';
import { SERVER_VERSIONS } from '../support/esdb-double/server-version.js';

function events(count: number, type = 'FeatureUpdated'): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => ({ id: randomUUID(), type, data: { index }, metadata: {} }));
}

async function rejectionOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

async function timed<T>(work: () => Promise<T>): Promise<{ outcome: unknown; elapsedMs: number }> {
  const started = Date.now();
  const outcome = await work().catch((error: unknown) => error);
  return { outcome, elapsedMs: Date.now() - started };
}

/** A port nobody listens on: bind, read the port, close. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Accepts TCP connections and never says a word, like a host behind a broken proxy. */
async function muteServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('eventstoredb adapter: configuration', () => {
  it('given a connection string that does not parse, then opening fails with an error naming EVENTSTORE_URL', () => {
    const opening = () => openEsdbEventStore({ connectionString: 'http://localhost:2113' });

    expect(opening).toThrow(EventStoreUrlError);
    expect(opening).toThrow(/EVENTSTORE_URL/);
  });

  it('given credentials in a bad connection string, then the error does not repeat them', () => {
    const error = (() => {
      try {
        openEsdbEventStore({ connectionString: 'esdb://admin:s3cret-pass@localhost:2113?tls=maybe' });
      } catch (caught) {
        return caught as Error;
      }
    })();

    expect(error?.message).toMatch(/EVENTSTORE_URL/);
    expect(error?.message).not.toContain('s3cret-pass');
  });
});

describe('eventstoredb adapter: an unreachable or mute server', () => {
  let store: EventStore | undefined;
  let mute: Awaited<ReturnType<typeof muteServer>> | undefined;

  afterEach(async () => {
    await store?.close();
    await mute?.close();
    store = undefined;
    mute = undefined;
  });

  it('given nothing listening at the address, then ping, append and reads fail fast with BackendUnavailableError', async () => {
    store = openEsdbEventStore({ connectionString: `esdb://127.0.0.1:${await freePort()}?tls=false` });

    const ping = await timed(() => store!.ping());
    const append = await timed(() => store!.append(`feature-${ulid()}`, events(1), 'any'));
    const read = await timed(() => store!.readStream(`feature-${ulid()}`));
    const head = await timed(() => store!.headPosition());

    for (const { outcome, elapsedMs } of [ping, append, read, head]) {
      expect(outcome).toBeInstanceOf(BackendUnavailableError);
      expect((outcome as BackendUnavailableError).backend).toBe('event store');
      expect(elapsedMs).toBeLessThan(3_000);
    }
  });

  it('given a server that accepts connections but never answers, then ping and append give up after the request timeout', async () => {
    const silent = await muteServer();
    mute = silent;
    store = openEsdbEventStore({
      connectionString: `esdb://127.0.0.1:${silent.port}?tls=false`,
      requestTimeoutMs: 400,
    });

    const ping = await timed(() => store!.ping());
    const append = await timed(() => store!.append(`feature-${ulid()}`, events(1), 'any'));

    for (const { outcome, elapsedMs } of [ping, append]) {
      expect(outcome).toBeInstanceOf(BackendUnavailableError);
      expect(elapsedMs).toBeGreaterThanOrEqual(350);
      expect(elapsedMs).toBeLessThan(2_000);
    }
  });
});

describe.each(SERVER_VERSIONS)('against the double as %s', (serverVersion) => {
  describe("eventstoredb adapter: the server's own events never reach the port", () => {
    let double: EsdbDouble | undefined;
    let store: EventStore | undefined;
    let client: EventStoreDBClient | undefined;

    afterEach(async () => {
      await store?.close();
      await client?.dispose();
      await double?.stop();
    });

    it('given a fresh server whose log holds only system events, then the log reads as empty and the head as null', async () => {
      double = await startEsdbDouble({ serverVersion });
      store = openEsdbEventStore({ connectionString: double.connectionString });

      expect(double.log.records.length).toBeGreaterThan(0);
      expect(await store.readAll()).toEqual([]);
      expect(await store.headPosition()).toBeNull();
    });

    it('given links, metadata, a tombstone and a user-typed event in a system stream, then reads, head and subscriptions skip them all', async () => {
      double = await startEsdbDouble({ serverVersion });
      store = openEsdbEventStore({ connectionString: double.connectionString });
      client = EventStoreDBClient.connectionString(double.connectionString);
      const kept = `feature-${ulid()}`;
      const deleted = `build-${ulid()}`;
      const tombstoned = `deployment-${ulid()}`;
      await store.append(kept, events(2), 'no_stream');
      await store.append(deleted, events(1), 'no_stream');
      await store.append(tombstoned, events(1), 'no_stream');
      await client.deleteStream(deleted);
      await client.tombstoneStream(tombstoned);
      await client.appendToStream(`$custom-${ulid()}`, [jsonEvent({ type: 'Noise', data: {} })]);
      const delivered: StoredEvent[] = [];

      const subscription = store.subscribeToAll({ after: null, onBatch: async (batch) => void delivered.push(...batch) });
      const logged = await store.readAll();
      const head = await store.headPosition();
      await expect.poll(() => delivered.length).toBe(4);
      await subscription.stop();

      const userEvents = [kept, kept, deleted, tombstoned];
      expect(logged.map((event) => event.streamName)).toEqual(userEvents);
      expect(delivered).toEqual(logged);
      expect(head).toBe(logged.at(-1)!.position);
      expect(double.log.records.at(-1)!.position > head!).toBe(true);
    });
  });

  describe('eventstoredb adapter: reading a log longer than one page', () => {
    let double: EsdbDouble | undefined;
    let store: EventStore | undefined;

    afterEach(async () => {
      await store?.close();
      await double?.stop();
    });

    it('given 700 user events interleaved with system events, then readAll pages through them without loss or repetition', async () => {
      double = await startEsdbDouble({ serverVersion });
      store = openEsdbEventStore({ connectionString: double.connectionString });
      const appended: EventToAppend[] = [];
      for (let chunk = 0; chunk < 35; chunk++) {
        const batch = events(20);
        appended.push(...batch);
        await store.append(`feature-${ulid()}`, batch, 'no_stream');
      }

      const everything = await store.readAll();
      const first600 = await store.readAll({ maxCount: 600 });
      const rest = await store.readAll({ after: first600.at(-1)!.position });

      expect(double.log.records.length).toBeGreaterThan(1_000);
      expect(everything.map((event) => event.id)).toEqual(appended.map((event) => event.id));
      expect([...first600, ...rest]).toEqual(everything);
    });
  });

  describe.each([
    { path: 'BatchAppend', batchAppend: true, options: '' },
    { path: 'Append', batchAppend: false, options: '' },
    { path: 'BatchAppend with throwOnAppendFailure=false', batchAppend: true, options: '&throwOnAppendFailure=false' },
    { path: 'Append with throwOnAppendFailure=false', batchAppend: false, options: '&throwOnAppendFailure=false' },
  ])('eventstoredb adapter: wrong expected revisions through $path', ({ batchAppend, options }) => {
    let double: EsdbDouble | undefined;
    let store: EventStore | undefined;

    afterEach(async () => {
      await store?.close();
      await double?.stop();
    });

    it('given a stream at revision 2, when appending expecting 0, then WrongExpectedRevisionError reports actual 2', async () => {
      double = await startEsdbDouble({ batchAppend, serverVersion });
      store = openEsdbEventStore({ connectionString: `${double.connectionString}${options}` });
      const stream = `feature-${ulid()}`;
      await store.append(stream, events(3), 'no_stream');

      const error = await rejectionOf(store.append(stream, events(1), 0));

      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect(error).toMatchObject({ streamName: stream, expected: 0, actual: 2 });
    });
  });

  describe('eventstoredb adapter: subscriptions and closing', () => {
    let double: EsdbDouble | undefined;
    let store: EventStore | undefined;

    afterEach(async () => {
      await store?.close();
      await double?.stop();
    });

    it('given onBatch throws, then the subscription ends and done rejects with that error', async () => {
      double = await startEsdbDouble({ serverVersion });
      store = openEsdbEventStore({ connectionString: double.connectionString });
      await store.append(`feature-${ulid()}`, events(1), 'no_stream');
      const failure = new Error('projection handler failed');

      const subscription = store.subscribeToAll({ after: null, onBatch: () => Promise.reject(failure) });

      await expect(subscription.done).rejects.toBe(failure);
      await expect(subscription.stop()).resolves.toBeUndefined();
    });

    it('given an open subscription, when the store closes, then the subscription is stopped and done resolves', async () => {
      double = await startEsdbDouble({ serverVersion });
      store = openEsdbEventStore({ connectionString: double.connectionString });
      const subscription = store.subscribeToAll({ after: null, onBatch: async () => {} });

      await store.close();

      await expect(subscription.done).resolves.toBeUndefined();
      store = undefined;
    });

    it('given negative or fractional counts and revisions, then reads are refused with RangeError', async () => {
      double = await startEsdbDouble({ serverVersion });
      store = openEsdbEventStore({ connectionString: double.connectionString });

      await expect(store.readStream(`feature-${ulid()}`, { maxCount: -1 })).rejects.toBeInstanceOf(RangeError);
      await expect(store.readStream(`feature-${ulid()}`, { fromRevision: 1.5 })).rejects.toBeInstanceOf(RangeError);
      await expect(store.readAll({ maxCount: -5 })).rejects.toBeInstanceOf(RangeError);
    });

    it('given a maxBatchSize of 0, then events still arrive, one per batch', async () => {
      double = await startEsdbDouble({ serverVersion });
      store = openEsdbEventStore({ connectionString: double.connectionString });
      await store.append(`feature-${ulid()}`, events(3), 'no_stream');
      const batchSizes: number[] = [];

      const subscription = store.subscribeToAll({
        after: null,
        maxBatchSize: 0,
        onBatch: async (batch) => void batchSizes.push(batch.length),
      });
      await expect.poll(() => batchSizes.length).toBe(3);
      await subscription.stop();

      expect(batchSizes).toEqual([1, 1, 1]);
    });

    it('given an empty append, then it is refused before reaching the server', async () => {
      double = await startEsdbDouble({ serverVersion });
      store = openEsdbEventStore({ connectionString: double.connectionString });

      await expect(store.append(`feature-${ulid()}`, [], 'any')).rejects.toBeInstanceOf(RangeError);
    });
  });
});

describe('eventstoredb adapter: revision conversions', () => {
  it('given a revision beyond the safe integers, then it is refused rather than rounded', () => {
    expect(toRevisionNumber(9_007_199_254_740_991n, 'feature-1')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toRevisionNumber(9_007_199_254_740_992n, 'feature-1')).toThrow(RangeError);
    expect(() => toRevisionNumber(9_223_372_036_854_775_807n, 'feature-1')).toThrow(/feature-1/);
  });

  it('given expected revisions, then they map to the client form and invalid numbers are refused', () => {
    expect(toClientExpectedRevision('any')).toBe('any');
    expect(toClientExpectedRevision('no_stream')).toBe('no_stream');
    expect(toClientExpectedRevision('stream_exists')).toBe('stream_exists');
    expect(toClientExpectedRevision(7)).toBe(7n);
    expect(() => toClientExpectedRevision(-1)).toThrow(RangeError);
    expect(() => toClientExpectedRevision(1.5)).toThrow(RangeError);
  });
});
