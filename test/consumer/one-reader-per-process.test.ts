// Every projection and agent of a process reads the log through one shared reader, and the
// read models it builds are those of a replay.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { EventStore, SubscribeOptions, Subscription } from '../../src/eventstore/port.js';
import { SharedLogReader } from '../../src/consumer/shared-log-reader.js';
import { ProjectionService } from '../../src/projections/projection-service.js';
import { allProjections } from '../../src/projections/read-models/index.js';
import { AgentService } from '../../src/app/agent-service.js';
import { WorkBulkhead } from '../../src/resilience/index.js';
import { temporaryStores } from '../resilience/support/stores.js';
import { ledger } from '../agents/support/ledger.js';
import { eventually } from '../agents/support/eventually.js';

let stores: ReturnType<typeof temporaryStores>;
let stop: Array<() => Promise<void>>;
beforeEach(() => {
  stores = temporaryStores();
  stop = [];
});
afterEach(async () => {
  for (const each of stop.reverse()) await each();
  await stores.dispose();
});

describe('one reader of the log per process', () => {
  it('given every projection and agent running, when commands are sent, then the log is subscribed to once and each read model is up to date', async () => {
    let subscriptions = 0;
    const inner = stores.events;
    const events: EventStore = {
      append: (...args) => inner.append(...args),
      readStream: (...args) => inner.readStream(...args),
      readAll: (options) => inner.readAll(options),
      headPosition: () => inner.headPosition(),
      ping: () => inner.ping(),
      close: () => inner.close(),
      subscribeToAll(options: SubscribeOptions): Subscription {
        subscriptions++;
        return inner.subscribeToAll(options);
      },
    };
    const logger = pino({ level: 'silent' });
    const feed = new SharedLogReader(events, { logger });
    const projections = new ProjectionService(events, stores.readStore, allProjections(), { run: true, logger, feed });
    await projections.start();
    stop.push(() => projections.stop());
    const { bus, approvedRequirement, feature } = ledger(events);
    const agents = new AgentService({ events, feed, readStore: stores.readStore, commands: bus, projections, bulkhead: new WorkBulkhead('agents', 2, 100), logger });
    await agents.start();
    stop.push(() => agents.stop());
    const processors = allProjections().length + agents.status().length;
    await eventually(async () => (feed.counts.joined === processors ? true : undefined), 'every processor joined the reader');

    const requirementId = await approvedRequirement(['finds things']);
    const featureIds = [await feature(requirementId), await feature(requirementId)];
    const head = (await events.headPosition())!;
    expect(await projections.waitForAll(head, 10_000)).toBe(true);

    expect(subscriptions).toBe(1);
    expect(feed.counts).toEqual({ joined: processors, processors });
    const stored = await projections.collection('features').getMany(featureIds);
    expect(stored.map((doc) => doc.id)).toEqual(featureIds);
    expect(await projections.collection('requirements').get(requirementId)).toMatchObject({ status: 'approved' });
  });
});
