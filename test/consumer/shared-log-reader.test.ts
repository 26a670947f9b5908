// The shared log reader: one reader of the log per process, feeding every processor the events
// of the types it declares, each once and in order, with a slow or failing one left behind
// rather than holding up the others.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventStore, ReadAllOptions, StoredEvent, SubscribeOptions, Subscription } from '../../src/eventstore/port.js';
import type { FeedBatch, FeedOptions } from '../../src/consumer/log-feed.js';
import { SharedLogReader } from '../../src/consumer/shared-log-reader.js';
import { temporaryStores } from '../resilience/support/stores.js';
import { eventually } from '../agents/support/eventually.js';

let stores: ReturnType<typeof temporaryStores>;
let reads: { subscriptions: number; pages: number };
let events: EventStore;
let subscriptions: Subscription[];

interface Interference {
  /** Subscriptions that fail at their first batch, as a dropped connection would. */
  failSubscriptions?: number;
  /** The live subscription hands its batches on only once this settles. */
  holdLiveBatches?: Promise<void>;
  /** Runs before a page read returns (once): what happens in the log meanwhile makes the page stale. */
  beforePageReturns?: () => Promise<void>;
}

/** The embedded event store, counting the subscriptions and page reads made of it. */
function counting(inner: EventStore, interference: Interference = {}): EventStore {
  return {
    append: (...args) => inner.append(...args),
    readStream: (...args) => inner.readStream(...args),
    headPosition: () => inner.headPosition(),
    ping: () => inner.ping(),
    close: () => inner.close(),
    async readAll(options?: ReadAllOptions) {
      reads.pages++;
      const page = await inner.readAll(options);
      const meanwhile = interference.beforePageReturns;
      interference.beforePageReturns = undefined;
      await meanwhile?.();
      return page;
    },
    subscribeToAll(options: SubscribeOptions): Subscription {
      reads.subscriptions++;
      if ((interference.failSubscriptions ?? 0) > 0) {
        interference.failSubscriptions! -= 1;
        return inner.subscribeToAll({ ...options, onBatch: async () => Promise.reject(new Error('connection dropped')) });
      }
      const hold = interference.holdLiveBatches;
      if (!hold) return inner.subscribeToAll(options);
      return inner.subscribeToAll({ ...options, onBatch: async (batch) => (await hold, options.onBatch(batch)) });
    },
  };
}

beforeEach(() => {
  stores = temporaryStores();
  reads = { subscriptions: 0, pages: 0 };
  events = counting(stores.events);
  subscriptions = [];
});
afterEach(async () => {
  for (const subscription of subscriptions) await subscription.stop();
  await stores.dispose();
});

async function append(...types: string[]): Promise<StoredEvent[]> {
  const stored: StoredEvent[] = [];
  for (const type of types) {
    const streamName = `thing-${randomUUID()}`;
    await stores.events.append(streamName, [{ id: randomUUID(), type, data: { type, nested: { list: [1] } }, metadata: {} }], 'no_stream');
    stored.push(...(await stores.events.readStream(streamName)));
  }
  return stored;
}

/** A processor recording what it is handed; `gate` holds each batch until it resolves. */
function processor(feed: SharedLogReader, options: Partial<FeedOptions> & { gate?: () => Promise<void> } = {}) {
  const batches: FeedBatch[] = [];
  const subscription = feed.subscribe({
    after: null,
    eventTypes: null,
    ...options,
    onBatch: async (batch) => {
      await options.gate?.();
      batches.push(batch);
      await options.onBatch?.(batch);
    },
  });
  subscriptions.push(subscription);
  return {
    subscription,
    batches,
    positions: () => batches.flatMap((batch) => batch.events.map((event) => event.position)),
    through: () => batches.at(-1)?.through ?? null,
  };
}

async function reached(feed: SharedLogReader, processors: Array<{ through(): bigint | null }>): Promise<void> {
  await eventually(async () => {
    const head = await stores.events.headPosition();
    return processors.every((each) => each.through() === head) ? true : undefined;
  }, 'every processor at the head');
}

describe('the shared log reader', () => {
  it('given processors at the head, when events are appended, then one subscription reads them for all', async () => {
    const feed = new SharedLogReader(events);
    const all = [processor(feed), processor(feed), processor(feed)];
    await eventually(async () => (feed.counts.joined === 3 ? true : undefined), 'all three joined');
    const pagesBefore = reads.pages;

    const appended = await append('A', 'B', 'C', 'A');
    await reached(feed, all);

    expect(reads.subscriptions).toBe(1);
    expect(reads.pages).toBe(pagesBefore);
    for (const each of all) expect(each.positions()).toEqual(appended.map((event) => event.position));
  });

  it('hands each processor only the types it declares, with `through` at the last event read', async () => {
    const feed = new SharedLogReader(events);
    const onlyB = processor(feed, { eventTypes: new Set(['B']) });
    const none = processor(feed, { eventTypes: new Set(['Z']) });

    const appended = await append('A', 'B', 'A', 'B', 'C');
    await reached(feed, [onlyB, none]);

    expect(onlyB.positions()).toEqual(appended.filter((event) => event.type === 'B').map((event) => event.position));
    expect(none.positions()).toEqual([]);
    expect(none.through()).toBe(appended.at(-1)!.position);
  });

  it('given a processor behind the head, it catches up on its own, then joins the reader, getting every event once', async () => {
    const earlier = await append(...Array.from({ length: 120 }, (_, index) => (index % 2 ? 'A' : 'B')));
    const feed = new SharedLogReader(events);
    const live = processor(feed, { after: earlier.at(-1)!.position });
    const behind = processor(feed, { maxBatchSize: 25 });

    const later = await append('A', 'B');
    await reached(feed, [live, behind]);
    await eventually(async () => (feed.counts.joined === 2 ? true : undefined), 'both joined');
    const more = await append('C');
    await reached(feed, [live, behind]);

    expect(behind.positions()).toEqual([...earlier, ...later, ...more].map((event) => event.position));
    expect(live.positions()).toEqual([...later, ...more].map((event) => event.position));
    expect(behind.batches.slice(0, 4).every((batch) => batch.events.length === 25 && !batch.live)).toBe(true);
  });

  it('a processor whose page went stale while it read joins only after reading what the reader handed out meanwhile', async () => {
    const before = await append('A', 'B');
    const interference: Interference = {};
    events = counting(stores.events, interference);
    const feed = new SharedLogReader(events);
    const live = processor(feed, { after: before.at(-1)!.position });
    await eventually(async () => (feed.counts.joined === 1 ? true : undefined), 'the first joined');

    const meanwhile: StoredEvent[] = [];
    interference.beforePageReturns = async () => {
      meanwhile.push(...(await append('A', 'B', 'C')));
      await reached(feed, [live]);
    };
    const late = processor(feed);
    await reached(feed, [live, late]);

    expect(late.positions()).toEqual([...before, ...meanwhile].map((event) => event.position));
  });

  it('a processor that read further than the live reader has handed out gets nothing twice when the reader catches up', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    events = counting(stores.events, { holdLiveBatches: held });
    const feed = new SharedLogReader(events);
    const first = processor(feed);
    await eventually(async () => (feed.counts.joined === 1 ? true : undefined), 'the first joined');

    const appended = await append('A', 'B', 'C');
    const second = processor(feed);
    await eventually(async () => (feed.counts.joined === 2 ? true : undefined), 'the second joined, ahead of the reader');
    release();
    await reached(feed, [first, second]);
    const more = await append('D');
    await reached(feed, [first, second]);

    expect(second.positions()).toEqual([...appended, ...more].map((event) => event.position));
    expect(first.positions()).toEqual([...appended, ...more].map((event) => event.position));
  });

  it('a slow processor is left to catch up on its own: the others keep going, and it still gets every event once', async () => {
    const feed = new SharedLogReader(events, { maxQueuedEvents: 5 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const slow = processor(feed, { gate: async () => (first ? ((first = false), await held) : undefined) });
    const fast = processor(feed);
    await eventually(async () => (feed.counts.joined === 2 ? true : undefined), 'both joined');

    const appended: StoredEvent[] = [];
    for (let round = 0; round < 6; round++) appended.push(...(await append('A', 'B')));
    await reached(feed, [fast]);
    expect(feed.counts.joined).toBe(1);
    expect(slow.batches).toEqual([]);

    release();
    await reached(feed, [slow, fast]);

    expect(slow.positions()).toEqual(appended.map((event) => event.position));
    expect(fast.positions()).toEqual(appended.map((event) => event.position));
    await eventually(async () => (feed.counts.joined === 2 ? true : undefined), 'the slow one joined again');
  });

  it('a processor whose onBatch fails ends with that error, and the others go on', async () => {
    const feed = new SharedLogReader(events);
    const failing = processor(feed, { onBatch: async () => Promise.reject(new Error('handler broke')) });
    const healthy = processor(feed);
    await eventually(async () => (feed.counts.joined === 2 ? true : undefined), 'both joined');

    await append('A');
    await expect(failing.subscription.done).rejects.toThrow('handler broke');
    const later = await append('B');
    await reached(feed, [healthy]);

    expect(healthy.positions().at(-1)).toBe(later[0]!.position);
  });

  it('when the live reader fails, processors read on their own and a new reader takes over, losing nothing', async () => {
    events = counting(stores.events, { failSubscriptions: 1 });
    const feed = new SharedLogReader(events);
    const one = processor(feed);
    const two = processor(feed, { eventTypes: new Set(['A']) });
    await eventually(async () => (feed.counts.joined === 2 ? true : undefined), 'both joined');

    const appended: StoredEvent[] = [];
    for (let round = 0; round < 4; round++) appended.push(...(await append('A', 'B')));
    await reached(feed, [one, two]);
    await eventually(async () => (feed.counts.joined === 2 ? true : undefined), 'both joined again');
    appended.push(...(await append('A')));
    await reached(feed, [one, two]);

    expect(reads.subscriptions).toBe(2);
    expect(one.positions()).toEqual(appended.map((event) => event.position));
    expect(two.positions()).toEqual(appended.filter((event) => event.type === 'A').map((event) => event.position));
  });

  it('hands out frozen events, so no processor can change what another sees', async () => {
    const feed = new SharedLogReader(events);
    const one = processor(feed);
    await eventually(async () => (feed.counts.joined === 1 ? true : undefined), 'joined');

    await append('A');
    await reached(feed, [one]);

    const [event] = one.batches.at(-1)!.events;
    expect(() => ((event!.data as { nested: { list: number[] } }).nested.list.push(2))).toThrow(TypeError);
  });

  it('given processors starting together, the pages they catch up on are read from the log once for all', async () => {
    const appended = await append(...Array.from({ length: 100 }, () => 'A'));
    const feed = new SharedLogReader(events);

    // One of them slower, so it asks for each page after the others have read it.
    const slower = { maxBatchSize: 10, gate: () => new Promise<void>((resolve) => setTimeout(resolve, 5)) };
    const all = [processor(feed, { maxBatchSize: 10 }), processor(feed, { maxBatchSize: 10 }), processor(feed, slower)];
    await reached(feed, all);

    for (const each of all) expect(each.positions()).toEqual(appended.map((event) => event.position));
    // Ten full pages read once each, plus each processor's own short reads at the head.
    expect(reads.pages).toBeLessThanOrEqual(10 + 3 * 2);
  });

  it('stops its live reader with the last processor, and starts it again with the next', async () => {
    const feed = new SharedLogReader(events);
    const first = processor(feed);
    await eventually(async () => (feed.counts.joined === 1 ? true : undefined), 'joined');
    await first.subscription.stop();
    expect(feed.counts.processors).toBe(0);

    const appended = await append('A');
    const second = processor(feed);
    await reached(feed, [second]);

    expect(second.positions()).toEqual(appended.map((event) => event.position));
    expect(reads.subscriptions).toBe(2);
  });
});
