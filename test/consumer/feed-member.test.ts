// One processor's subscription, driven by hand: what it is offered by the live reader after
// joining it at its position.
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/eventstore/port.js';
import { FeedMember } from '../../src/consumer/feed-member.js';
import type { FeedBatch } from '../../src/consumer/log-feed.js';
import { eventually } from '../agents/support/eventually.js';

const event = (position: number, type = 'A'): StoredEvent => ({
  id: `event-${position}`,
  streamName: 'thing-1',
  type,
  revision: position,
  position: BigInt(position),
  data: {},
  metadata: {},
  recordedAt: new Date(0),
});

/** A log of five events, read in pages; the member joins as soon as it asks. */
function memberAt(after: bigint | null, eventTypes: ReadonlySet<string> | null = null) {
  const log = [1, 2, 3, 4, 5].map((position) => event(position, position % 2 ? 'A' : 'B'));
  const batches: FeedBatch[] = [];
  const member = new FeedMember({ after, eventTypes, onBatch: async (batch) => void batches.push(batch) }, {
    maxQueuedEvents: 100,
    join: async (joining) => (joining.attach(), true),
    readPage: async (from, maxCount) => log.filter((each) => from === null || each.position > from).slice(0, maxCount),
  });
  return { member, batches, positions: () => batches.flatMap((batch) => batch.events.map((each) => Number(each.position))) };
}

describe('a feed member', () => {
  it('given it joined at position 5, when the reader hands out 4 to 7, then it takes 6 and 7 only', async () => {
    const { member, batches, positions } = memberAt(null);
    await eventually(async () => (member.isAttached ? true : undefined), 'joined');

    member.offer([event(4), event(5), event(6), event(7)], 7n);
    await eventually(async () => (batches.at(-1)?.through === 7n ? true : undefined), 'the offer handed on');

    expect(positions()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await member.stop();
  });

  it('ignores what the reader hands out at or before its position', async () => {
    const { member, batches } = memberAt(null);
    await eventually(async () => (member.isAttached ? true : undefined), 'joined');
    const handed = batches.length;

    member.offer([event(3), event(4)], 4n);
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(batches).toHaveLength(handed);
    await member.stop();
  });

  it('takes only its types, but moves `through` past the others', async () => {
    const { member, batches, positions } = memberAt(5n, new Set(['B']));
    await eventually(async () => (member.isAttached ? true : undefined), 'joined');

    member.offer([event(6, 'A'), event(7, 'B'), event(8, 'A')], 8n);
    await eventually(async () => (batches.at(-1)?.through === 8n ? true : undefined), 'the offer handed on');

    expect(positions()).toEqual([7]);
    await member.stop();
  });
});
