// The event store contract: every EventStore adapter must pass this suite unchanged.
// It may run against a shared, long-lived server, so it never assumes the log starts empty,
// uses unique stream names per test, treats positions as opaque strictly increasing bigints
// and waits for live delivery with a deadline rather than a fixed delay.
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type StoredEvent,
  type Subscription,
  WrongExpectedRevisionError,
} from '../../src/eventstore/port.js';

export interface EventStoreFixture {
  store: EventStore;
  cleanup(): Promise<void>;
}

/** How long live delivery may take before a test gives up. */
const DELIVERY_DEADLINE_MS = 10_000;
/** Subscription tests wait for delivery, so they get more than the default test timeout. */
const SUBSCRIPTION_TEST_TIMEOUT_MS = 30_000;
const READ_ALL_PAGE_SIZE = 500;

function newStreamName(aggregate = 'feature'): string {
  return `${aggregate}-${ulid()}`;
}

function anEvent(data: unknown = { note: 'something happened' }, type = 'FeatureUpdated'): EventToAppend {
  return { id: randomUUID(), type, data, metadata: { actor: 'alice', commandId: ulid() } };
}

function numberedEvents(count: number, type = 'FeatureUpdated'): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => anEvent({ index }, type));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function eventually(condition: () => boolean, description: string, timeoutMs = DELIVERY_DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${description}`);
    await sleep(20);
  }
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the promise to reject, but it resolved');
    },
    (error: unknown) => error,
  );
}

async function expectWrongRevision(
  append: Promise<unknown>,
  expected: { streamName: string; expected: ExpectedRevision; actual: number | 'no_stream' },
): Promise<void> {
  const error = await rejectionOf(append);
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  const wrongRevision = error as WrongExpectedRevisionError;
  expect({
    streamName: wrongRevision.streamName,
    expected: wrongRevision.expected,
    actual: wrongRevision.actual,
  }).toEqual(expected);
}

function expectStrictlyIncreasing(positions: bigint[]): void {
  for (let index = 1; index < positions.length; index++) {
    const previous = positions[index - 1]!;
    const current = positions[index]!;
    if (current <= previous) {
      throw new Error(`positions not strictly increasing at index ${index}: ${previous} then ${current}`);
    }
  }
}

/** Reads the whole log after `after`, page by page, keeping only events of the given streams. */
async function readAllOf(store: EventStore, streams: string[], after: bigint | null): Promise<StoredEvent[]> {
  const wanted = new Set(streams);
  const found: StoredEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await store.readAll({ after: cursor, maxCount: READ_ALL_PAGE_SIZE });
    if (page.length === 0) return found;
    // Without this, an adapter that reads `after` inclusively would page forever.
    if (cursor !== null && page[0]!.position <= cursor) {
      throw new Error(`readAll after ${cursor} returned an event at position ${page[0]!.position}`);
    }
    found.push(...page.filter((event) => wanted.has(event.streamName)));
    cursor = page[page.length - 1]!.position;
  }
}

interface Recording {
  subscription: Subscription;
  /** Every delivered event, in delivery order. */
  delivered: StoredEvent[];
  batchSizes: number[];
  /** Set as soon as a batch is empty, repeats an event or goes back in the log. */
  failure: string | null;
  deliveredOf(streams: string[]): StoredEvent[];
}

function record(
  store: EventStore,
  after: bigint | null,
  options: { maxBatchSize?: number; beforeBatchSettles?: (events: StoredEvent[]) => Promise<void> } = {},
): Recording {
  const progress: Omit<Recording, 'subscription'> = {
    delivered: [],
    batchSizes: [],
    failure: null,
    deliveredOf: (streams) => progress.delivered.filter((event) => streams.includes(event.streamName)),
  };
  const subscription = store.subscribeToAll({
    after,
    maxBatchSize: options.maxBatchSize,
    onBatch: async (events) => {
      progress.batchSizes.push(events.length);
      if (events.length === 0) progress.failure ??= 'an empty batch was delivered';
      for (const event of events) {
        const previous = progress.delivered.at(-1)?.position ?? after;
        if (previous !== null && event.position <= previous) {
          // Stop recording: a subscription that repeats events could otherwise fill the memory.
          progress.failure ??= `event at position ${event.position} delivered after position ${previous}`;
          throw new Error(progress.failure);
        }
        progress.delivered.push(event);
      }
      await options.beforeBatchSettles?.(events);
    },
  });
  // The same object, so the recording sees the failure and events delivered later.
  return Object.assign(progress, { subscription });
}

async function untilDelivered(recording: Recording, streams: string[], count: number, description: string): Promise<void> {
  await eventually(() => {
    if (recording.failure) throw new Error(recording.failure);
    return recording.deliveredOf(streams).length >= count;
  }, description);
}

function idsOf(events: { id: string }[]): string[] {
  return events.map((event) => event.id);
}

export function eventStoreContract(adapterName: string, open: () => Promise<EventStoreFixture>): void {
  describe(`event store contract: ${adapterName}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;
    const openSubscriptions: Subscription[] = [];

    /** Subscriptions opened by a test are stopped at the end even when the test fails. */
    function tracked(recording: Recording): Recording {
      openSubscriptions.push(recording.subscription);
      return recording;
    }

    beforeAll(async () => {
      fixture = await open();
      store = fixture.store;
    });

    afterAll(async () => {
      await Promise.allSettled(openSubscriptions.map((subscription) => subscription.stop()));
      await fixture?.cleanup();
    });

    describe('appending with an expected revision', () => {
      it("given 'any', when appending to a new stream and then again, then both succeed from revision 0", async () => {
        const stream = newStreamName();

        const first = await store.append(stream, [anEvent()], 'any');
        const second = await store.append(stream, numberedEvents(2), 'any');

        expect(first.nextRevision).toBe(0);
        expect(second.nextRevision).toBe(2);
        expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0, 1, 2]);
      });

      it("given 'no_stream', when the stream is new, then the append succeeds at revision 0", async () => {
        const stream = newStreamName();

        const result = await store.append(stream, [anEvent()], 'no_stream');

        expect(result.nextRevision).toBe(0);
      });

      it("given 'no_stream', when the stream exists, then it fails with the actual revision and writes nothing", async () => {
        const stream = newStreamName();
        await store.append(stream, numberedEvents(2), 'no_stream');

        await expectWrongRevision(store.append(stream, [anEvent()], 'no_stream'), {
          streamName: stream,
          expected: 'no_stream',
          actual: 1,
        });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it("given 'stream_exists', when the stream is missing, then it fails with actual 'no_stream' and creates nothing", async () => {
        const stream = newStreamName();

        await expectWrongRevision(store.append(stream, [anEvent()], 'stream_exists'), {
          streamName: stream,
          expected: 'stream_exists',
          actual: 'no_stream',
        });
        expect(await store.readStream(stream)).toEqual([]);
      });

      it("given 'stream_exists', when the stream exists, then the append succeeds", async () => {
        const stream = newStreamName();
        await store.append(stream, [anEvent()], 'no_stream');

        const result = await store.append(stream, [anEvent()], 'stream_exists');

        expect(result.nextRevision).toBe(1);
      });

      it('given an exact revision equal to the current one, then the append succeeds', async () => {
        const stream = newStreamName();
        await store.append(stream, numberedEvents(3), 'no_stream');

        const result = await store.append(stream, numberedEvents(2), 2);

        expect(result.nextRevision).toBe(4);
      });

      it('given an exact revision behind or ahead of the current one, then it fails with the actual revision', async () => {
        const stream = newStreamName();
        await store.append(stream, numberedEvents(3), 'no_stream');

        await expectWrongRevision(store.append(stream, [anEvent()], 1), { streamName: stream, expected: 1, actual: 2 });
        await expectWrongRevision(store.append(stream, [anEvent()], 3), { streamName: stream, expected: 3, actual: 2 });
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it("given an exact revision, when the stream is missing, then it fails with actual 'no_stream'", async () => {
        const stream = newStreamName();

        await expectWrongRevision(store.append(stream, [anEvent()], 0), {
          streamName: stream,
          expected: 0,
          actual: 'no_stream',
        });
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('given several appends, then revisions count from 0 without gaps', async () => {
        const stream = newStreamName();

        await store.append(stream, numberedEvents(2), 'no_stream');
        await store.append(stream, numberedEvents(1), 1);
        await store.append(stream, numberedEvents(3), 'any');

        expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5]);
      });

      it('given a multi-event append that fails, then none of its events is written anywhere', async () => {
        const stream = newStreamName();
        const head = await store.headPosition();
        await store.append(stream, [anEvent()], 'no_stream');
        const rejected = numberedEvents(3);

        await expectWrongRevision(store.append(stream, rejected, 5), { streamName: stream, expected: 5, actual: 0 });

        expect(await store.readStream(stream)).toHaveLength(1);
        const rejectedIds = new Set(idsOf(rejected));
        const logged = await readAllOf(store, [stream], head);
        expect(logged.filter((event) => rejectedIds.has(event.id))).toEqual([]);
      });

      it('given a multi-event append, then its events are stored together in order', async () => {
        const stream = newStreamName();
        const events = numberedEvents(4);

        await store.append(stream, events, 'no_stream');

        const stored = await store.readStream(stream);
        expect(idsOf(stored)).toEqual(idsOf(events));
        expectStrictlyIncreasing(stored.map((event) => event.position));
      });

      it('given an append, then its result names the revision and position of its last event as read back', async () => {
        const stream = newStreamName();
        const first = await store.append(stream, numberedEvents(2), 'no_stream');

        const second = await store.append(stream, numberedEvents(3), 1);

        const stored = await store.readStream(stream);
        expect(first).toEqual({ nextRevision: 1, position: stored[1]!.position });
        expect(second).toEqual({ nextRevision: 4, position: stored[4]!.position });
        expect(typeof second.position).toBe('bigint');
        expect(second.position > first.position).toBe(true);
      });
    });

    describe('stored events', () => {
      it('given data and metadata with nested objects, unicode and numbers, then they round-trip unchanged', async () => {
        const stream = newStreamName();
        const data = {
          title: 'Déploiement 🚀 — 部署 ✓ "quoted" \\ back\nslash',
          counts: { integer: 42, negative: -7, fraction: 0.125, large: 9_007_199_254_740_991, zero: 0 },
          flags: [true, false, null],
          nested: { level1: { level2: { items: [{ id: 'a' }, { id: 'b', tags: [] }] } } },
          empty: {},
        };
        const metadata = {
          actor: 'agent:backend-developer',
          actorRole: 'engineer',
          commandId: ulid(),
          correlationId: ulid(),
          causationId: ulid(),
          at: '2024-05-01T12:34:56.789Z',
          schemaVersion: 1,
          note: 'Ünïcödé ✓',
        };
        const event: EventToAppend = { id: randomUUID(), type: 'FeatureCreated', data, metadata };

        await store.append(stream, [event], 'no_stream');

        const [stored] = await store.readStream(stream);
        expect(stored).toMatchObject({ id: event.id, streamName: stream, type: 'FeatureCreated', revision: 0 });
        expect(stored!.data).toEqual(data);
        expect(stored!.metadata).toEqual(metadata);
      });

      it('given an append, then each event keeps its id and type, and is recorded at about now', async () => {
        const stream = newStreamName();
        const events = [anEvent({ a: 1 }, 'FeatureCreated'), anEvent({ b: 2 }, 'FeatureUpdated')];
        const before = Date.now();

        await store.append(stream, events, 'no_stream');

        const stored = await store.readStream(stream);
        expect(stored.map((event) => [event.id, event.type])).toEqual([
          [events[0]!.id, 'FeatureCreated'],
          [events[1]!.id, 'FeatureUpdated'],
        ]);
        for (const event of stored) {
          expect(event.recordedAt).toBeInstanceOf(Date);
          // Generous bounds: a remote server's clock may differ from ours.
          expect(Math.abs(event.recordedAt.getTime() - before)).toBeLessThan(10 * 60_000);
        }
      });
    });

    describe('reading a stream', () => {
      it('given a missing stream, then it reads as an empty array in both directions', async () => {
        const stream = newStreamName();

        expect(await store.readStream(stream)).toEqual([]);
        expect(await store.readStream(stream, { direction: 'backwards' })).toEqual([]);
      });

      it('given a stream, when reading forwards from a revision with maxCount, then it returns that slice in order', async () => {
        const stream = newStreamName();
        await store.append(stream, numberedEvents(6), 'no_stream');

        const all = await store.readStream(stream);
        const fromTwo = await store.readStream(stream, { fromRevision: 2 });
        const slice = await store.readStream(stream, { fromRevision: 1, maxCount: 3, direction: 'forwards' });
        const pastTheEnd = await store.readStream(stream, { fromRevision: 6 });

        expect(all.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5]);
        expect(all.map((event) => event.data)).toEqual([0, 1, 2, 3, 4, 5].map((index) => ({ index })));
        expect(fromTwo.map((event) => event.revision)).toEqual([2, 3, 4, 5]);
        expect(slice.map((event) => event.revision)).toEqual([1, 2, 3]);
        expect(pastTheEnd).toEqual([]);
      });

      it('given a stream, when reading backwards, then it starts at the end or at the given revision', async () => {
        const stream = newStreamName();
        await store.append(stream, numberedEvents(5), 'no_stream');

        const fromEnd = await store.readStream(stream, { direction: 'backwards' });
        const fromTwo = await store.readStream(stream, { direction: 'backwards', fromRevision: 2 });
        const lastTwo = await store.readStream(stream, { direction: 'backwards', maxCount: 2 });

        expect(fromEnd.map((event) => event.revision)).toEqual([4, 3, 2, 1, 0]);
        expect(fromTwo.map((event) => event.revision)).toEqual([2, 1, 0]);
        expect(lastTwo.map((event) => event.revision)).toEqual([4, 3]);
      });
    });

    describe('reading the global log', () => {
      it('given events appended after the head, then the log returns them after it in position order', async () => {
        const head = await store.headPosition();
        const first = newStreamName();
        const second = newStreamName('build');
        const a = await store.append(first, numberedEvents(2), 'no_stream');
        const b = await store.append(second, numberedEvents(2), 'no_stream');
        const c = await store.append(first, numberedEvents(1), 1);

        const logged = await readAllOf(store, [first, second], head);

        expect(logged.map((event) => [event.streamName, event.revision])).toEqual([
          [first, 0],
          [first, 1],
          [second, 0],
          [second, 1],
          [first, 2],
        ]);
        expectStrictlyIncreasing(logged.map((event) => event.position));
        if (head !== null) expect(logged[0]!.position > head).toBe(true);
        expect([logged[1]!.position, logged[3]!.position, logged[4]!.position]).toEqual([
          a.position,
          b.position,
          c.position,
        ]);
      });

      it('given a position, then reading after it excludes it, and maxCount limits the page', async () => {
        const stream = newStreamName();
        await store.append(stream, numberedEvents(4), 'no_stream');
        const stored = await store.readStream(stream);

        const afterFirst = await store.readAll({ after: stored[0]!.position, maxCount: 2 });
        const afterSecond = await store.readAll({ after: stored[1]!.position, maxCount: 1 });

        expect(afterFirst.map((event) => event.id)).toEqual(idsOf(stored.slice(1, 3)));
        expect(afterSecond.map((event) => event.id)).toEqual([stored[2]!.id]);
        expect(afterFirst[0]).toEqual(stored[1]);
      });

      it('given the start of the log, then reading with after null or undefined begins with the oldest event', async () => {
        const stream = newStreamName();
        const result = await store.append(stream, numberedEvents(2), 'no_stream');

        const fromNull = await store.readAll({ after: null, maxCount: 3 });
        const fromUndefined = await store.readAll({ maxCount: 3 });

        expect(fromNull.length).toBeGreaterThanOrEqual(2);
        expect(fromNull.length).toBeLessThanOrEqual(3);
        expect(idsOf(fromUndefined)).toEqual(idsOf(fromNull));
        expect(fromNull[0]!.position <= result.position).toBe(true);
        expectStrictlyIncreasing(fromNull.map((event) => event.position));
        const afterOldest = await store.readAll({ after: fromNull[0]!.position, maxCount: 1 });
        expect(afterOldest.map((event) => event.id)).toEqual([fromNull[1]!.id]);
      });

      it('given a stream prefix, then only streams starting with it are read', async () => {
        const head = await store.headPosition();
        const token = ulid();
        const featureA = `feature-${token}a`;
        const featureB = `feature-${token}b`;
        const build = `build-${token}`;
        const otherFeature = newStreamName('feature');
        await store.append(featureA, numberedEvents(2), 'no_stream');
        await store.append(build, numberedEvents(2), 'no_stream');
        await store.append(featureB, numberedEvents(1), 'no_stream');
        await store.append(otherFeature, numberedEvents(1), 'no_stream');

        const byToken = await store.readAll({ after: head, streamPrefix: `feature-${token}` });
        const byCategory = await store.readAll({ after: head, streamPrefix: 'feature-' });
        const byPartialCategory = await store.readAll({ after: head, streamPrefix: 'buil' });

        expect(byToken.map((event) => [event.streamName, event.revision])).toEqual([
          [featureA, 0],
          [featureA, 1],
          [featureB, 0],
        ]);
        expect(byCategory.every((event) => event.streamName.startsWith('feature-'))).toBe(true);
        expect(byCategory.filter((event) => [featureA, featureB, otherFeature, build].includes(event.streamName))
          .map((event) => event.streamName)).toEqual([featureA, featureA, featureB, otherFeature]);
        expect(byPartialCategory.every((event) => event.streamName.startsWith('buil'))).toBe(true);
        expect(byPartialCategory.filter((event) => event.streamName === build)).toHaveLength(2);
      });

      it('given a stream prefix and maxCount, then the page holds that many matching events', async () => {
        const head = await store.headPosition();
        const token = ulid();
        const noise = `build-${token}`;
        const wanted = `testplan-${token}`;
        await store.append(noise, numberedEvents(3), 'no_stream');
        await store.append(wanted, numberedEvents(3), 'no_stream');

        const page = await store.readAll({ after: head, streamPrefix: `testplan-${token}`, maxCount: 2 });

        expect(page.map((event) => [event.streamName, event.revision])).toEqual([
          [wanted, 0],
          [wanted, 1],
        ]);
      });

      it('given an append, then the head position is at least the position of its last event', async () => {
        const stream = newStreamName();
        const before = await store.headPosition();

        const result = await store.append(stream, numberedEvents(2), 'no_stream');

        const head = await store.headPosition();
        expect(head).not.toBeNull();
        expect(head! >= result.position).toBe(true);
        if (before !== null) expect(head! > before).toBe(true);
        const afterHead = await store.readAll({ after: head });
        expect(afterHead.filter((event) => event.streamName === stream)).toEqual([]);
      });
    });

    describe('subscribing to the global log', () => {
      it(
        'given a checkpoint of null, then it catches up from the oldest event of the log',
        async () => {
          const stream = newStreamName();
          const appended = numberedEvents(3);
          await store.append(stream, appended, 'no_stream');
          const [oldest] = await store.readAll({ maxCount: 1 });

          const recording = tracked(record(store, null));
          await untilDelivered(recording, [stream], 3, 'the appended events are delivered');
          await recording.subscription.stop();

          expect(recording.delivered[0]!.id).toBe(oldest!.id);
          expect(idsOf(recording.deliveredOf([stream]))).toEqual(idsOf(appended));
          expectStrictlyIncreasing(recording.delivered.map((event) => event.position));
        },
        SUBSCRIPTION_TEST_TIMEOUT_MS,
      );

      it(
        'given a checkpoint, then it delivers strictly after it, then goes live in order without duplicates',
        async () => {
          const stream = newStreamName();
          await store.append(stream, numberedEvents(5), 'no_stream');
          const history = await store.readStream(stream);

          const recording = tracked(record(store, history[1]!.position));
          await untilDelivered(recording, [stream], 3, 'the history after the checkpoint is delivered');
          await store.append(stream, numberedEvents(2), 4);
          await store.append(stream, numberedEvents(1), 6);
          await untilDelivered(recording, [stream], 6, 'the live events are delivered');
          await recording.subscription.stop();

          expect(recording.deliveredOf([stream]).map((event) => event.revision)).toEqual([2, 3, 4, 5, 6, 7]);
          expect(recording.delivered[0]!.id).toBe(history[2]!.id);
          expectStrictlyIncreasing(recording.delivered.map((event) => event.position));
          expect(recording.deliveredOf([stream])).toEqual(await store.readStream(stream, { fromRevision: 2 }));
        },
        SUBSCRIPTION_TEST_TIMEOUT_MS,
      );

      it(
        'given a subscription from the head, then events appended later to many streams arrive once each, in log order',
        async () => {
          const head = await store.headPosition();
          const streams = Array.from({ length: 5 }, () => newStreamName());
          const recording = tracked(record(store, head));

          await Promise.all(
            streams.map(async (stream) => {
              await store.append(stream, numberedEvents(2), 'no_stream');
              await store.append(stream, numberedEvents(2), 1);
            }),
          );
          await untilDelivered(recording, streams, 20, 'all live events are delivered');
          await recording.subscription.stop();

          const logged = await readAllOf(store, streams, head);
          expect(idsOf(recording.deliveredOf(streams))).toEqual(idsOf(logged));
          expect(new Set(idsOf(recording.delivered)).size).toBe(recording.delivered.length);
          expectStrictlyIncreasing(recording.delivered.map((event) => event.position));
        },
        SUBSCRIPTION_TEST_TIMEOUT_MS,
      );

      it(
        'given maxBatchSize, then no batch is larger, in catch-up or live',
        async () => {
          const stream = newStreamName();
          const head = await store.headPosition();
          await store.append(stream, numberedEvents(10), 'no_stream');

          const recording = tracked(record(store, head, { maxBatchSize: 3 }));
          await untilDelivered(recording, [stream], 10, 'the history is delivered');
          await store.append(stream, numberedEvents(10), 9);
          await untilDelivered(recording, [stream], 20, 'the live events are delivered');
          await recording.subscription.stop();

          expect(recording.batchSizes.length).toBeGreaterThanOrEqual(7);
          expect(Math.max(...recording.batchSizes)).toBeLessThanOrEqual(3);
          expect(Math.min(...recording.batchSizes)).toBeGreaterThanOrEqual(1);
          expect(recording.deliveredOf([stream]).map((event) => event.revision)).toEqual(
            Array.from({ length: 20 }, (_, revision) => revision),
          );
        },
        SUBSCRIPTION_TEST_TIMEOUT_MS,
      );

      it(
        'given a slow onBatch, then the next batch waits until the previous one settles',
        async () => {
          const stream = newStreamName();
          const head = await store.headPosition();
          await store.append(stream, numberedEvents(6), 'no_stream');
          let running = 0;
          let mostRunningAtOnce = 0;

          const recording = tracked(
            record(store, head, {
              maxBatchSize: 2,
              beforeBatchSettles: async () => {
                running++;
                mostRunningAtOnce = Math.max(mostRunningAtOnce, running);
                await sleep(30);
                running--;
              },
            }),
          );
          await store.append(stream, numberedEvents(4), 5);
          await untilDelivered(recording, [stream], 10, 'every event is delivered');
          await recording.subscription.stop();

          expect(recording.batchSizes.length).toBeGreaterThanOrEqual(5);
          expect(mostRunningAtOnce).toBe(1);
          expect(recording.deliveredOf([stream]).map((event) => event.revision)).toEqual(
            Array.from({ length: 10 }, (_, revision) => revision),
          );
        },
        SUBSCRIPTION_TEST_TIMEOUT_MS,
      );

      it(
        'given stop() during a running onBatch, then it resolves after that batch settles, resolves done and delivers nothing more',
        async () => {
          const stream = newStreamName();
          const head = await store.headPosition();
          let releaseBatch: () => void = () => {};
          const batchReleased = new Promise<void>((resolve) => {
            releaseBatch = resolve;
          });
          let batchEntered = false;
          const recording = tracked(
            record(store, head, {
              beforeBatchSettles: async (events) => {
                if (!events.some((event) => event.streamName === stream)) return;
                batchEntered = true;
                await batchReleased;
              },
            }),
          );
          await store.append(stream, [anEvent()], 'no_stream');
          await eventually(() => batchEntered, 'the batch with the appended event is being handled');

          let stopped = false;
          const stopping = recording.subscription.stop().then(() => {
            stopped = true;
          });
          await sleep(100);
          expect(stopped).toBe(false);
          releaseBatch();
          await stopping;
          await expect(recording.subscription.done).resolves.toBeUndefined();

          const deliveredWhenStopped = recording.delivered.length;
          const checkpoint = (await store.readStream(stream))[0]!.position;
          await store.append(stream, [anEvent()], 0);
          const witness = tracked(record(store, checkpoint));
          await untilDelivered(witness, [stream], 1, 'a fresh subscription sees the later event');
          await witness.subscription.stop();
          expect(recording.delivered).toHaveLength(deliveredWhenStopped);
          expect(recording.deliveredOf([stream])).toHaveLength(1);
        },
        SUBSCRIPTION_TEST_TIMEOUT_MS,
      );
    });

    describe('concurrent appends', () => {
      it('given many appends to ONE stream with the same exact revision, then exactly one wins', async () => {
        const stream = newStreamName();
        await store.append(stream, [anEvent()], 'no_stream');

        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, () => store.append(stream, numberedEvents(2), 0)),
        );

        const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(9);
        for (const loser of losers) {
          expect(loser).toBeInstanceOf(WrongExpectedRevisionError);
          expect((loser as WrongExpectedRevisionError).actual).toBe(2);
        }
        expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0, 1, 2]);
      });

      it("given many appends creating ONE stream with 'no_stream', then exactly one wins", async () => {
        const stream = newStreamName();

        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, () => store.append(stream, [anEvent()], 'no_stream')),
        );

        const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        expect(losers).toHaveLength(9);
        for (const loser of losers) expect(loser).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('given concurrent appends to many streams, then every acknowledged event is readable in increasing position order', async () => {
        const head = await store.headPosition();
        const streams = Array.from({ length: 20 }, () => newStreamName());
        const appendsPerStream = 5;

        const acknowledged = (
          await Promise.all(
            streams.map(async (stream) => {
              const results = [];
              for (let revision = 0; revision < appendsPerStream; revision++) {
                const expected = revision === 0 ? 'no_stream' : revision - 1;
                results.push({ stream, ...(await store.append(stream, [anEvent({ revision })], expected)) });
              }
              return results;
            }),
          )
        ).flat();

        const logged = await readAllOf(store, streams, head);
        expect(logged).toHaveLength(streams.length * appendsPerStream);
        expectStrictlyIncreasing(logged.map((event) => event.position));
        const loggedByPosition = new Map(logged.map((event) => [event.position, event]));
        for (const ack of acknowledged) {
          expect(loggedByPosition.get(ack.position)).toMatchObject({ streamName: ack.stream, revision: ack.nextRevision });
        }
        for (const stream of streams) {
          expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
        }
      });
    });
  });
}
