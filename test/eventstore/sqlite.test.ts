import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ulid } from 'ulid';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../src/backends/errors.js';
import {
  type EventToAppend,
  type StoredEvent,
  WrongExpectedRevisionError,
} from '../../src/eventstore/port.js';
import { DuplicateEventIdError, openSqliteEventStore, type SqliteEventStore } from '../../src/eventstore/sqlite/index.js';
import { eventStoreContract } from '../contracts/event-store.contract.js';

async function newDirectory(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'agent-ledger-events-'));
}

eventStoreContract('sqlite', async () => {
  const directory = await newDirectory();
  const store = openSqliteEventStore({ file: join(directory, 'events.sqlite') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});

function anEvent(data: unknown = { value: 1 }): EventToAppend {
  return { id: randomUUID(), type: 'FeatureUpdated', data, metadata: { actor: 'alice' } };
}

function newStreamName(): string {
  return `feature-${ulid()}`;
}

async function eventually(condition: () => boolean, description: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('sqlite event store', () => {
  let directory: string;
  let file: string;
  const opened: SqliteEventStore[] = [];

  /** Opens a store on the test's file; every instance is closed after the test. */
  function openStore(): SqliteEventStore {
    const store = openSqliteEventStore({ file });
    opened.push(store);
    return store;
  }

  async function useNewFile(): Promise<void> {
    directory = await newDirectory();
    file = join(directory, 'events.sqlite');
  }

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await rm(directory, { recursive: true, force: true });
  });

  describe('a new file', () => {
    it('given a new file, then the log is empty and the head is null', async () => {
      await useNewFile();
      const store = openStore();

      expect(await store.headPosition()).toBeNull();
      expect(await store.readAll()).toEqual([]);
    });

    it('given a path in a missing folder, then the folder is created', async () => {
      await useNewFile();
      file = join(directory, 'nested', 'deeper', 'events.sqlite');
      const store = openStore();

      await store.append(newStreamName(), [anEvent()], 'no_stream');

      expect(await store.headPosition()).not.toBeNull();
    });
  });

  describe('durability and reopening', () => {
    it('given events appended and the store closed, when the file is reopened, then every event is still there and appends continue', async () => {
      await useNewFile();
      const stream = newStreamName();
      const first = openStore();
      await first.append(stream, [anEvent({ step: 1 }), anEvent({ step: 2 })], 'no_stream');
      const before = await first.readStream(stream);
      await first.close();

      const reopened = openStore();
      const after = await reopened.readStream(stream);
      const next = await reopened.append(stream, [anEvent({ step: 3 })], 1);

      expect(after).toEqual(before);
      expect(next.nextRevision).toBe(2);
      expect(next.position > before[1]!.position).toBe(true);
    });

    it('given appends not yet committed, when the store is closed, then they are committed first', async () => {
      await useNewFile();
      const stream = newStreamName();
      const store = openStore();

      const pending = store.append(stream, [anEvent()], 'no_stream');
      await store.close();

      await expect(pending).resolves.toMatchObject({ nextRevision: 0 });
      expect(await openStore().readStream(stream)).toHaveLength(1);
    });

    it('given the file, then it is in WAL mode and the log refuses updates and deletes even from raw SQL', async () => {
      await useNewFile();
      const store = openStore();
      await store.append(newStreamName(), [anEvent()], 'no_stream');
      const raw = new Database(file);

      try {
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(() => raw.prepare("UPDATE events SET type = 'Tampered'").run()).toThrow(/immutable/);
        expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/immutable/);
      } finally {
        raw.close();
      }
    });
  });

  describe('group commit', () => {
    it('given 500 concurrent appends, then they all succeed in far fewer than 500 transactions', async () => {
      await useNewFile();
      const store = openStore();
      const streams = Array.from({ length: 500 }, () => newStreamName());

      const results = await Promise.all(streams.map((stream) => store.append(stream, [anEvent()], 'no_stream')));

      expect(results.every((result) => result.nextRevision === 0)).toBe(true);
      expect(new Set(results.map((result) => result.position)).size).toBe(500);
      expect(store.committedTransactions).toBeLessThanOrEqual(5);
      expect(await store.readAll()).toHaveLength(500);
    });

    it('given appends to one stream queued together, then each sees the revision the previous one wrote', async () => {
      await useNewFile();
      const store = openStore();
      const stream = newStreamName();

      const results = await Promise.all([
        store.append(stream, [anEvent()], 'no_stream'),
        store.append(stream, [anEvent(), anEvent()], 0),
        store.append(stream, [anEvent()], 2),
      ]);

      expect(results.map((result) => result.nextRevision)).toEqual([0, 2, 3]);
      expect(store.committedTransactions).toBe(1);
    });

    it('given a failing append queued among others, then only it is rejected and the others commit', async () => {
      await useNewFile();
      const store = openStore();
      const [good, bad, alsoGood] = [newStreamName(), newStreamName(), newStreamName()];
      await store.append(bad, [anEvent()], 'no_stream');
      const transactionsBefore = store.committedTransactions;

      const outcomes = await Promise.allSettled([
        store.append(good, [anEvent()], 'no_stream'),
        store.append(bad, [anEvent(), anEvent()], 'no_stream'),
        store.append(alsoGood, [anEvent()], 'no_stream'),
      ]);

      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect(store.committedTransactions - transactionsBefore).toBe(1);
      expect(await store.readStream(bad)).toHaveLength(1);
      expect(await store.readStream(good)).toHaveLength(1);
      expect(await store.readStream(alsoGood)).toHaveLength(1);
    });

    it('given an event id already in the log, then that append alone is rejected and writes nothing', async () => {
      await useNewFile();
      const store = openStore();
      const existing = anEvent();
      await store.append(newStreamName(), [existing], 'no_stream');
      const [duplicate, innocent] = [newStreamName(), newStreamName()];

      const outcomes = await Promise.allSettled([
        store.append(duplicate, [anEvent(), existing], 'no_stream'),
        store.append(innocent, [anEvent()], 'no_stream'),
      ]);

      expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
      expect(outcomes[1]!.status).toBe('fulfilled');
      expect(await store.readStream(duplicate)).toEqual([]);
    });
  });

  describe('two instances on one file, as two processes would', () => {
    it('given both append to one stream with the same expected revision, then exactly one wins', async () => {
      await useNewFile();
      const [a, b] = [openStore(), openStore()];
      const stream = newStreamName();
      await a.append(stream, [anEvent()], 'no_stream');

      const outcomes = await Promise.allSettled([
        a.append(stream, [anEvent({ by: 'a' })], 0),
        b.append(stream, [anEvent({ by: 'b' })], 0),
      ]);

      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ actual: 1 });
      expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect((await b.readStream(stream)).map((event) => event.revision)).toEqual([0, 1]);
    });

    it('given both append to many streams at once, then positions stay gapless and unique', async () => {
      await useNewFile();
      const [a, b] = [openStore(), openStore()];

      await Promise.all(
        Array.from({ length: 100 }, (_, index) => (index % 2 === 0 ? a : b).append(newStreamName(), [anEvent()], 'any')),
      );

      const positions = (await a.readAll()).map((event) => event.position);
      expect(positions).toHaveLength(100);
      expect(positions[positions.length - 1]! - positions[0]!).toBe(99n);
    });

    it('given a subscription on instance B, then it sees appends made by instance A', async () => {
      await useNewFile();
      const [a, b] = [openStore(), openStore()];
      const stream = newStreamName();
      const delivered: StoredEvent[] = [];
      const subscription = b.subscribeToAll({
        after: null,
        onBatch: async (events) => {
          delivered.push(...events);
        },
      });

      await a.append(stream, [anEvent(), anEvent()], 'no_stream');
      await a.append(stream, [anEvent()], 1);
      await eventually(() => delivered.length >= 3, 'B delivers the events A appended');
      await subscription.stop();

      expect(delivered.map((event) => [event.streamName, event.revision])).toEqual([
        [stream, 0],
        [stream, 1],
        [stream, 2],
      ]);
    });
  });

  describe('subscriptions ending', () => {
    it('given onBatch rejects, then the subscription ends and done rejects with that error', async () => {
      await useNewFile();
      const store = openStore();
      await store.append(newStreamName(), [anEvent()], 'no_stream');
      const failure = new Error('handler broke');
      let calls = 0;

      const subscription = store.subscribeToAll({
        after: null,
        onBatch: async () => {
          calls++;
          throw failure;
        },
      });

      await expect(subscription.done).rejects.toBe(failure);
      await store.append(newStreamName(), [anEvent()], 'no_stream');
      await subscription.stop();
      expect(calls).toBe(1);
    });

    it('given a live subscription, when the store is closed, then the subscription is stopped', async () => {
      await useNewFile();
      const store = openStore();
      const subscription = store.subscribeToAll({ after: null, onBatch: async () => {} });

      await store.close();

      await expect(subscription.done).resolves.toBeUndefined();
    });
  });

  describe('failures', () => {
    it('given a path that is a folder, then opening fails with BackendUnavailableError', async () => {
      await useNewFile();

      expect(() => openSqliteEventStore({ file: directory })).toThrow(BackendUnavailableError);
    });

    it('given a file that is not a database, then opening fails with BackendUnavailableError naming the event store', async () => {
      await useNewFile();
      await writeFile(file, 'this is not a database, just some text that is long enough to have a header');

      expect(() => openSqliteEventStore({ file })).toThrow(/event store unavailable/);
    });

    it('given a closed store, then appends, reads and ping fail with BackendUnavailableError', async () => {
      await useNewFile();
      const store = openStore();
      await store.close();

      await expect(store.append(newStreamName(), [anEvent()], 'any')).rejects.toBeInstanceOf(BackendUnavailableError);
      await expect(store.readStream(newStreamName())).rejects.toBeInstanceOf(BackendUnavailableError);
      await expect(store.readAll()).rejects.toBeInstanceOf(BackendUnavailableError);
      await expect(store.ping()).rejects.toBeInstanceOf(BackendUnavailableError);
    });

    it('given an open store, then ping succeeds', async () => {
      await useNewFile();

      await expect(openStore().ping()).resolves.toBeUndefined();
    });

    it('given invalid arguments, then the append or read is refused before touching the log', async () => {
      await useNewFile();
      const store = openStore();
      const stream = newStreamName();

      await expect(store.append(stream, [], 'any')).rejects.toBeInstanceOf(RangeError);
      await expect(store.append(stream, [anEvent()], -1)).rejects.toBeInstanceOf(RangeError);
      await expect(store.append(stream, [anEvent()], 1.5)).rejects.toBeInstanceOf(RangeError);
      await expect(store.append(stream, [anEvent({ big: 1n })], 'any')).rejects.toBeInstanceOf(TypeError);
      await expect(store.readStream(stream, { maxCount: -1 })).rejects.toBeInstanceOf(RangeError);
      expect(await store.headPosition()).toBeNull();
    });
  });
});
