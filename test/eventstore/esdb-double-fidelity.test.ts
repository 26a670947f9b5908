// The gRPC test double answers @eventstore/db-client as EventStoreDB does. These tests use the
// raw client, not the adapter, so they pin down the server behaviour the adapter relies on.
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEsdbDouble, type EsdbDouble } from '../support/esdb-double/esdb-double.js';
import { SERVER_VERSIONS } from '../support/esdb-double/server-version.js';

function someEvents(count: number, type = 'FeatureUpdated') {
  return Array.from({ length: count }, (_, index) => jsonEvent({ type, data: { index } }));
}

async function readAllOfLog(client: EventStoreDBClient): Promise<AllStreamResolvedEvent[]> {
  const events: AllStreamResolvedEvent[] = [];
  for await (const resolved of client.readAll()) events.push(resolved);
  return events;
}

async function rejectionOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

async function eventually(condition: () => boolean, description: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Observed {
  events: ResolvedEvent[];
  confirmations: number;
  caughtUp: number;
  checkpoints: Position[];
  error: Error | undefined;
}

function observe(subscription: AllStreamSubscription | NodeJS.EventEmitter): Observed {
  const observed: Observed = { events: [], confirmations: 0, caughtUp: 0, checkpoints: [], error: undefined };
  subscription.on('data', (resolved: ResolvedEvent) => void observed.events.push(resolved));
  subscription.on('confirmation', () => void observed.confirmations++);
  subscription.on('caughtUp', () => void observed.caughtUp++);
  subscription.on('error', (error: Error) => void (observed.error = error));
  return observed;
}

describe.each(SERVER_VERSIONS)('EventStoreDB test double as %s', (serverVersion) => {
  describe.each([
    { path: 'BatchAppend', batchAppend: true },
    { path: 'Append', batchAppend: false },
  ])('EventStoreDB test double: appending through $path', ({ batchAppend }) => {
    let double: EsdbDouble;
    let client: EventStoreDBClient;

    beforeAll(async () => {
      double = await startEsdbDouble({ batchAppend, maxAppendSize: 4_096, serverVersion });
      client = EventStoreDBClient.connectionString(double.connectionString);
    });

    afterAll(async () => {
      await client.dispose();
      await double.stop();
    });

    it('given a stream at revision 1, when appending expecting revision 5, then the error names the stream, 5 and 1', async () => {
      const stream = `feature-${ulid()}`;
      await client.appendToStream(stream, someEvents(2), { expectedRevision: 'no_stream' });

      const error = await rejectionOf(client.appendToStream(stream, someEvents(1), { expectedRevision: 5n }));

      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamName: stream, expectedVersion: 5n, actualVersion: 1n });
    });

    it("given a missing stream, when appending expecting 'stream_exists', then the error says there is no stream", async () => {
      const stream = `feature-${ulid()}`;

      const error = await rejectionOf(client.appendToStream(stream, someEvents(1), { expectedRevision: 'stream_exists' }));

      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamName: stream, expectedVersion: 'stream_exists', actualVersion: 'no_stream' });
    });

    it('given an append of three events, then it answers the last revision and the $all position of the last event', async () => {
      const stream = `feature-${ulid()}`;

      const result = await client.appendToStream(stream, someEvents(3), { expectedRevision: 'no_stream' });

      const logged = (await readAllOfLog(client)).filter((resolved) => resolved.event?.streamId === stream);
      expect(result.success).toBe(true);
      expect(result.nextExpectedRevision).toBe(2n);
      expect(result.position).toEqual(logged[2]!.event!.position);
      expect(result.position!.commit).toBe(result.position!.prepare);
    });

    it('given a tombstoned stream, when appending to it, then the append fails with StreamDeletedError', async () => {
      const stream = `feature-${ulid()}`;
      await client.appendToStream(stream, someEvents(1));
      await client.tombstoneStream(stream);

      const error = await rejectionOf(client.appendToStream(stream, someEvents(1)));

      expect(error).toBeInstanceOf(StreamDeletedError);
    });

    it('given events larger than the maximum append size, then the append fails and writes nothing', async () => {
      const stream = `feature-${ulid()}`;
      const oversized = jsonEvent({ type: 'FeatureUpdated', data: { text: 'x'.repeat(5_000) } });

      const error = await rejectionOf(client.appendToStream(stream, [oversized]));

      expect(error).toBeInstanceOf(MaxAppendSizeExceededError);
      expect((error as MaxAppendSizeExceededError).maxAppendSize).toBe(4_096);
      expect(double.log.readStream(stream)).toEqual({ kind: 'not_found' });
    });
  });

  describe('EventStoreDB test double: reads, subscriptions and deletes', () => {
    let double: EsdbDouble;
    let client: EventStoreDBClient;

    beforeAll(async () => {
      double = await startEsdbDouble({ serverVersion });
      client = EventStoreDBClient.connectionString(double.connectionString);
    });

    afterAll(async () => {
      await client.dispose();
      await double.stop();
    });

    it('given a missing stream, when reading it, then StreamNotFoundError names it', async () => {
      const stream = `feature-${ulid()}`;

      const error = await rejectionOf(collect(client.readStream(stream)));

      expect(error).toBeInstanceOf(StreamNotFoundError);
      expect((error as StreamNotFoundError).streamName).toBe(stream);
    });

    it("given user appends, then $all also holds the server's own events, at increasing byte-offset positions", async () => {
      const stream = `feature-${ulid()}`;
      await client.appendToStream(stream, someEvents(2));

      const logged = await readAllOfLog(client);

      const streams = logged.map((resolved) => resolved.event!.streamId);
      expect(streams.slice(0, 3)).toEqual(['$settings', '$user-admin', '$projections-$all']);
      const links = logged.filter((resolved) => resolved.event!.type === '$>').map((resolved) => resolved.event!);
      expect(links.map((link) => [link.streamId, Buffer.from(link.data as Uint8Array).toString()])).toEqual(
        expect.arrayContaining([
          ['$streams', `0@${stream}`],
          ['$ce-feature', `0@${stream}`],
          ['$ce-feature', `1@${stream}`],
        ]),
      );
      const positions = logged.map((resolved) => resolved.event!.position.commit);
      for (let index = 1; index < positions.length; index++) {
        expect(positions[index]! - positions[index - 1]!).toBeGreaterThan(1n);
      }
    });

    it('given an event position, then reading $all forwards includes it and reading backwards starts before it', async () => {
      const stream = `feature-${ulid()}`;
      await client.appendToStream(stream, someEvents(3));
      const [, middle] = await collect(client.readStream(stream));
      const position = middle!.event!.position!;

      const forwards = await collect(client.readAll({ fromPosition: position, direction: FORWARDS, maxCount: 1 }));
      const backwards = await collect(client.readAll({ fromPosition: position, direction: BACKWARDS, maxCount: 1 }));

      expect(forwards[0]!.event!.id).toBe(middle!.event!.id);
      expect(backwards[0]!.event!.position.commit < position.commit).toBe(true);
    });

    it('given a subscription to $all from a position, then it confirms, starts strictly after it, catches up, then goes live', async () => {
      const stream = `feature-${ulid()}`;
      await client.appendToStream(stream, someEvents(3));
      const [first] = await collect(client.readStream(stream));

      const subscription = client.subscribeToAll({ fromPosition: first!.event!.position!, filter: excludeSystemEvents() });
      const observed = observe(subscription);
      await eventually(() => observed.caughtUp === 1, 'the subscription is caught up');
      await client.appendToStream(stream, someEvents(1), { expectedRevision: 2n });
      await eventually(() => observed.events.length === 3, 'the live event arrives');
      await subscription.unsubscribe();

      expect(observed.confirmations).toBe(1);
      expect(observed.events.map((resolved) => [resolved.event!.streamId, resolved.event!.revision])).toEqual([
        [stream, 1n],
        [stream, 2n],
        [stream, 3n],
      ]);
    });

    it('given a subscription to a stream from a revision, then it starts strictly after that revision', async () => {
      const stream = `build-${ulid()}`;
      await client.appendToStream(stream, someEvents(4));

      const subscription = client.subscribeToStream(stream, { fromRevision: 1n });
      const observed = observe(subscription);
      await eventually(() => observed.events.length === 2, 'the rest of the stream arrives');
      await subscription.unsubscribe();

      expect(observed.events.map((resolved) => resolved.event!.revision)).toEqual([2n, 3n]);
    });

    it('given filtered $all subscriptions, then only matching events arrive and checkpoints advance past the others', async () => {
      const token = ulid();
      await client.appendToStream(`deployment-${token}`, someEvents(2, 'DeploymentStarted'));
      await client.appendToStream(`incident-${token}`, someEvents(1, 'IncidentOpened'));
      await client.appendToStream(`deployment-${token}`, someEvents(1, 'TrafficShifted'));
      const head = (await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 })))[0]!;
      const checkpoints: Position[] = [];

      const byStream = client.subscribeToAll({
        filter: streamNameFilter({
          prefixes: [`deployment-${token}`],
          checkpointInterval: 1,
          maxSearchWindow: 2,
          checkpointReached: (_, position) => void checkpoints.push(position),
        }),
      });
      const byType = client.subscribeToAll({ filter: eventTypeFilter({ regex: '^(Incident|Traffic)' }) });
      const streamMatches = observe(byStream);
      const typeMatches = observe(byType);
      await eventually(() => streamMatches.caughtUp === 1 && typeMatches.caughtUp === 1, 'both are caught up');
      await byStream.unsubscribe();
      await byType.unsubscribe();

      expect(streamMatches.events.map((resolved) => resolved.event!.type)).toEqual([
        'DeploymentStarted',
        'DeploymentStarted',
        'TrafficShifted',
      ]);
      expect(typeMatches.events.map((resolved) => resolved.event!.type)).toEqual(['IncidentOpened', 'TrafficShifted']);
      expect(checkpoints.length).toBeGreaterThan(3);
      expect(checkpoints.at(-1)!.commit <= head.event!.position.commit).toBe(true);
      expect(checkpoints.map((checkpoint) => checkpoint.commit)).toEqual(
        [...checkpoints.map((checkpoint) => checkpoint.commit)].sort((a, b) => (a < b ? -1 : 1)),
      );
    });

    it('given a soft-deleted stream, then it reads as not found, $all keeps its events, and an append recreates it', async () => {
      const stream = `feature-${ulid()}`;
      await client.appendToStream(stream, someEvents(2));

      await client.deleteStream(stream);
      const readAfterDelete = await rejectionOf(collect(client.readStream(stream)));
      await client.appendToStream(stream, someEvents(1), { expectedRevision: 'no_stream' });
      const recreated = await collect(client.readStream(stream));

      expect(readAfterDelete).toBeInstanceOf(StreamNotFoundError);
      expect(recreated.map((resolved) => resolved.event!.revision)).toEqual([2n]);
      const logged = await readAllOfLog(client);
      const ofStream = logged.filter((resolved) => resolved.event!.streamId.endsWith(stream));
      expect(ofStream.map((resolved) => [resolved.event!.streamId, resolved.event!.type])).toEqual([
        [stream, 'FeatureUpdated'],
        [stream, 'FeatureUpdated'],
        [`$$${stream}`, '$metadata'],
        [stream, 'FeatureUpdated'],
        [`$$${stream}`, '$metadata'],
      ]);
    });

    it('given a tombstoned stream, then reads fail with StreamDeletedError and $all holds its $streamDeleted record', async () => {
      const stream = `feature-${ulid()}`;
      await client.appendToStream(stream, someEvents(1));

      await client.tombstoneStream(stream);
      const error = await rejectionOf(collect(client.readStream(stream)));

      expect(error).toBeInstanceOf(StreamDeletedError);
      const tombstone = (await readAllOfLog(client)).find(
        (resolved) => resolved.event!.streamId === stream && resolved.event!.type === '$streamDeleted',
      );
      expect(tombstone?.event?.revision).toBe(9_223_372_036_854_775_807n);
    });

    it('given a live subscription to a stream, when the stream is tombstoned, then it ends with StreamDeletedError', async () => {
      const stream = `feature-${ulid()}`;
      await client.appendToStream(stream, someEvents(1));
      const observed = observe(client.subscribeToStream(stream));
      await eventually(() => observed.events.length === 1, 'the history arrives');

      await client.tombstoneStream(stream);

      await eventually(() => observed.error !== undefined, 'the subscription fails');
      expect(observed.error).toBeInstanceOf(StreamDeletedError);
    });

    it('given live subscriptions, when dropSubscriptions() is called, then each ends with UnavailableError', async () => {
      const all = client.subscribeToAll({ fromPosition: END });
      const stream = client.subscribeToStream(`feature-${ulid()}`, { fromRevision: START });
      const observedAll = observe(all);
      const observedStream = observe(stream);
      await eventually(() => observedAll.confirmations === 1 && observedStream.confirmations === 1, 'both are confirmed');

      const dropped = double.dropSubscriptions();

      await eventually(() => observedAll.error !== undefined && observedStream.error !== undefined, 'both have failed');
      expect(dropped).toBe(2);
      expect(observedAll.error).toBeInstanceOf(UnavailableError);
      expect(observedStream.error).toBeInstanceOf(UnavailableError);
    });
  });
});

async function collect<Item>(read: AsyncIterable<Item>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of read) items.push(item);
  return items;
}
