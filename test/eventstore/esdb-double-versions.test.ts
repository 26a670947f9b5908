// Where EventStoreDB 23.10 and 24.10 answer the same request differently, and the rules both
// share that the adapter relies on. These use the raw client, so they pin down the double itself.
import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  StreamDeletedError,
  TimeoutError,
  UnknownError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type Position,
} from '@eventstore/db-client';
import { ulid } from 'ulid';
import { afterEach, describe, expect, it } from 'vitest';
import { startEsdbDouble, type EsdbDouble } from '../support/esdb-double/esdb-double.js';
import { SERVER_VERSIONS } from '../support/esdb-double/server-version.js';

function someEvents(count: number, data: Record<string, unknown> = {}) {
  return Array.from({ length: count }, (_, index) => jsonEvent({ type: 'FeatureUpdated', data: { index, ...data } }));
}

async function collect<Item>(read: AsyncIterable<Item>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of read) items.push(item);
  return items;
}

async function rejectionOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

async function eventually(condition: () => boolean, description: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function watch(subscription: AllStreamSubscription) {
  const seen = { events: [] as AllStreamResolvedEvent[], caughtUp: 0, error: undefined as Error | undefined };
  subscription.on('data', (resolved: AllStreamResolvedEvent) => void seen.events.push(resolved));
  subscription.on('caughtUp', () => void seen.caughtUp++);
  subscription.on('error', (error: Error) => void (seen.error = error));
  return seen;
}

async function lastPosition(client: EventStoreDBClient): Promise<Position> {
  const [last] = await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }));
  return last!.event!.position;
}

describe.each(SERVER_VERSIONS)('EventStoreDB test double as %s', (serverVersion) => {
  let double: EsdbDouble;
  let client: EventStoreDBClient;

  async function start(options: { batchAppend?: boolean } = {}): Promise<void> {
    double = await startEsdbDouble({ serverVersion, ...options });
    client = EventStoreDBClient.connectionString(double.connectionString);
  }

  afterEach(async () => {
    await client?.dispose();
    await double?.stop();
  });

  it('given a position inside a record, then reading $all from it fails: INVALID_ARGUMENT on 24.10, an unknown result on 23.10', async () => {
    await start();
    await client.appendToStream(`feature-${ulid()}`, someEvents(2));
    const { commit } = await lastPosition(client);

    const error = await rejectionOf(collect(client.readAll({ fromPosition: { commit: commit + 1n, prepare: commit + 1n }, maxCount: 1 })));

    expect(error).toBeInstanceOf(UnknownError);
    if (serverVersion === '24.10') {
      expect(error).toMatchObject({ code: 3 });
      expect((error as Error).message).toMatch(/invalid position/);
    } else {
      expect((error as Error).message).toMatch(/Unexpected ReadAllResult: Error/);
    }
  });

  it('given a position beyond the head, then reading $all from it is empty, not an error', async () => {
    await start();
    const { commit } = await lastPosition(client);

    const read = await collect(client.readAll({ fromPosition: { commit: commit + 100_000n, prepare: commit + 100_000n }, direction: FORWARDS }));

    expect(read).toEqual([]);
  });

  it('given a subscription from beyond the head, then 24.10 skips live events up to that position while 23.10 delivers them', async () => {
    await start();
    const { commit } = await lastPosition(client);
    const beyond = commit + 5_000n;
    const subscription = client.subscribeToAll({ fromPosition: { commit: beyond, prepare: beyond }, filter: excludeSystemEvents() });
    const seen = watch(subscription);
    await eventually(() => seen.caughtUp === 1, 'the subscription is caught up');

    const stream = `feature-${ulid()}`;
    for (let chunk = 0; chunk < 20; chunk++) await client.appendToStream(stream, someEvents(1, { text: 'y'.repeat(200) }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await subscription.unsubscribe();

    const appended = (await collect(client.readStream(stream))).map((resolved) => resolved.event!);
    const later = appended.filter((event) => event.position!.commit > beyond);
    expect(later.length).toBeGreaterThan(0);
    expect(later.length).toBeLessThan(appended.length);
    const delivered = seen.events.map((resolved) => resolved.event!.id);
    if (serverVersion === '24.10') expect(delivered).toEqual(later.map((event) => event.id));
    else expect(delivered).toEqual(appended.map((event) => event.id));
  });

  it('given a consumer that stops reading while live events pour in, then 23.10 drops it as too slow and 24.10 catches up again without a word', async () => {
    await start();
    const subscription = client.subscribeToAll({ filter: excludeSystemEvents() });
    const seen = watch(subscription);
    await eventually(() => seen.caughtUp === 1, 'the subscription is caught up');

    subscription.pause();
    const big = 'x'.repeat(4_000);
    for (let chunk = 0; chunk < 20; chunk++) await client.appendToStream(`feature-${ulid()}`, someEvents(20, { big }));
    subscription.resume();
    const logged = (await collect(client.readAll())).filter((resolved) => !resolved.event!.streamId.startsWith('$'));

    if (serverVersion === '23.10') {
      await eventually(() => seen.error !== undefined, 'the subscription is dropped');
      expect(seen.error).toBeInstanceOf(TimeoutError);
      expect(seen.error!.message).toMatch(/Consumer too slow/);
      expect(seen.events.length).toBeLessThan(400);
    } else {
      await eventually(() => seen.events.length >= 400, 'every event arrives');
      expect(seen.error).toBeUndefined();
      expect(seen.caughtUp).toBeGreaterThanOrEqual(2);
    }
    // Whatever arrived came once each and in log order.
    const ids = seen.events.map((resolved) => resolved.event!.id);
    expect(ids).toEqual(logged.slice(0, ids.length).map((resolved) => resolved.event!.id));
    await subscription.unsubscribe();
  });

  it('given a stream read with a count of 0, then the server refuses it', async () => {
    await start();
    const stream = `feature-${ulid()}`;
    await client.appendToStream(stream, someEvents(2));

    const error = await rejectionOf(collect(client.readStream(stream, { maxCount: 0 })));

    expect(error).toBeInstanceOf(UnknownError);
    expect((error as Error).message).toMatch(/Unexpected ReadStreamResult: Error/);
  });

  describe.each([
    { path: 'BatchAppend', batchAppend: true },
    { path: 'Append', batchAppend: false },
  ])('appending through $path', ({ batchAppend }) => {
    it('given events already appended, when the same ids are appended again, then it answers the first revision and position and writes nothing', async () => {
      await start({ batchAppend });
      const stream = `feature-${ulid()}`;
      const events = someEvents(3);
      const first = await client.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      await client.appendToStream(stream, someEvents(1));
      const recordsBefore = double.log.records.length;

      const againNoStream = await client.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      const againAny = await client.appendToStream(stream, events, { expectedRevision: 'any' });

      for (const again of [againNoStream, againAny]) {
        expect(again.nextExpectedRevision).toBe(2n);
        expect(again.position).toEqual(first.position);
      }
      expect(double.log.records.length).toBe(recordsBefore);
    });

    it('given events already appended, when only some of them are appended again, then it is a wrong expected version', async () => {
      await start({ batchAppend });
      const stream = `feature-${ulid()}`;
      const events = someEvents(2);
      await client.appendToStream(stream, events, { expectedRevision: 'no_stream' });

      const partly = [events[0]!, ...someEvents(1)];
      const exact = await rejectionOf(client.appendToStream(stream, partly, { expectedRevision: 'no_stream' }));
      const any = await rejectionOf(client.appendToStream(stream, partly, { expectedRevision: 'any' }));

      expect(exact).toBeInstanceOf(WrongExpectedVersionError);
      expect(any).toBeInstanceOf(WrongExpectedVersionError);
      expect((await collect(client.readStream(stream))).length).toBe(2);
    });

    it("given a soft-deleted stream, when appending expecting 'stream_exists', then it fails with StreamDeletedError", async () => {
      await start({ batchAppend });
      const stream = `feature-${ulid()}`;
      await client.appendToStream(stream, someEvents(1));
      await client.deleteStream(stream);

      const error = await rejectionOf(client.appendToStream(stream, someEvents(1), { expectedRevision: 'stream_exists' }));

      expect(error).toBeInstanceOf(StreamDeletedError);
    });

    it('given an event id that is not a UUID, or the nil UUID, then the append is refused and writes nothing', async () => {
      await start({ batchAppend });
      const stream = `feature-${ulid()}`;

      for (const id of ['not-a-uuid', '00000000-0000-0000-0000-000000000000']) {
        const error = await rejectionOf(client.appendToStream(stream, [jsonEvent({ id, type: 'FeatureUpdated', data: {} })]));
        expect(error).toBeInstanceOf(UnknownError);
        expect((error as Error).message).toMatch(batchAppend ? /BadRequest/ : /Exception was thrown by handler/);
      }
      expect(double.log.readStream(stream)).toEqual({ kind: 'not_found' });
    });

    it('given an upper-case event id, then it reads back in lower case', async () => {
      await start({ batchAppend });
      const stream = `feature-${ulid()}`;
      const id = randomUUID().toUpperCase();

      await client.appendToStream(stream, [jsonEvent({ id, type: 'FeatureUpdated', data: {} })]);

      const [read] = await collect(client.readStream(stream));
      expect(read!.event!.id).toBe(id.toLowerCase());
    });
  });
});
