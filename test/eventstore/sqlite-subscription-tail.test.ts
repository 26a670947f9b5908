import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventToAppend, StoredEvent } from '../../src/eventstore/port.js';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/eventstore/sqlite/index.js';

// Live subscriptions take rows this process just committed from memory; these specify that what
// they deliver is still exactly the log, when other processes write to the same file as well.
const anEvent = (value: number): EventToAppend => ({ id: randomUUID(), type: 'Counted', data: { value }, metadata: { actor: 'alice' } });

async function eventually(condition: () => boolean, description: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('sqlite subscriptions served from the log tail', () => {
  let directory: string;
  const opened: SqliteEventStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await rm(directory, { recursive: true, force: true });
  });

  async function openTwoOnOneFile(): Promise<[SqliteEventStore, SqliteEventStore]> {
    directory = await mkdtemp(join(tmpdir(), 'agent-ledger-tail-'));
    const file = join(directory, 'events.sqlite');
    const pair: [SqliteEventStore, SqliteEventStore] = [openSqliteEventStore({ file }), openSqliteEventStore({ file })];
    opened.push(...pair);
    return pair;
  }

  it('given appends from this instance and another interleaved, when subscribed live, then every event arrives once, in log order, as stored', async () => {
    const [local, other] = await openTwoOnOneFile();
    const delivered: StoredEvent[] = [];
    const subscription = local.subscribeToAll({ after: null, maxBatchSize: 7, onBatch: async (events) => void delivered.push(...events) });

    for (let round = 0; round < 30; round++) {
      const writer = round % 3 === 2 ? other : local;
      await Promise.all(Array.from({ length: 4 }, (_, i) => writer.append(`counter-${i}`, [anEvent(round)], 'any')));
    }
    await eventually(() => delivered.length >= 120, 'all 120 events are delivered');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await subscription.stop();

    const log = await other.readAll();
    expect(delivered).toHaveLength(120);
    expect(delivered).toEqual(log);
  });

  it('given several subscriptions at different checkpoints, when events are committed, then each gets its own copy of the same events', async () => {
    const [local] = await openTwoOnOneFile();
    await local.append('counter-a', [anEvent(1), anEvent(2)], 'no_stream');
    const first: StoredEvent[] = [];
    const second: StoredEvent[] = [];
    const fromStart = local.subscribeToAll({ after: null, onBatch: async (events) => void first.push(...events) });
    const fromFirst = local.subscribeToAll({ after: 1n, onBatch: async (events) => void second.push(...events) });

    await local.append('counter-a', [anEvent(3)], 1);
    await eventually(() => first.length >= 3 && second.length >= 2, 'both subscriptions reach the head');
    await Promise.all([fromStart.stop(), fromFirst.stop()]);

    expect(first.map((event) => event.position)).toEqual([1n, 2n, 3n]);
    expect(second.map((event) => event.position)).toEqual([2n, 3n]);
    expect(second[1]).toEqual(first[2]);
    expect(second[1]!.data).not.toBe(first[2]!.data);
  });
});
