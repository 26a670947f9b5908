import { SharedLogReader } from '../../src/consumer/shared-log-reader.js';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../src/backends/errors.js';
import { type StoredEvent } from '../../src/eventstore/port.js';
import { ReactorCheckpoints } from '../../src/agents/reactor-checkpoints.js';
import { ReactorRunner } from '../../src/agents/reactor-runner.js';
import type { Reactor } from '../../src/agents/reactor.js';
import { WorkBulkhead } from '../../src/resilience/index.js';
import { temporaryStores } from '../resilience/support/stores.js';
import { eventually } from './support/eventually.js';

let stores: ReturnType<typeof temporaryStores>;
let runners: ReactorRunner[];
beforeEach(() => {
  stores = temporaryStores();
  runners = [];
});
afterEach(async () => {
  for (const runner of runners) await runner.stop();
  await stores.dispose();
});

async function append(...types: string[]): Promise<void> {
  for (const type of types) await stores.events.append(`thing-${randomUUID()}`, [{ id: randomUUID(), type, data: {}, metadata: {} }], 'no_stream');
}

/** A reactor that records the events it reacted to; `fail` decides whether a reaction throws. */
function recordingReactor(fail: (event: StoredEvent, attempt: number) => Error | null = () => null) {
  const seen: string[] = [];
  const attempts = new Map<string, number>();
  const reactor: Reactor = {
    name: 'agent:recorder',
    canHandle: ['Wanted'],
    async react(event) {
      const attempt = (attempts.get(event.id) ?? 0) + 1;
      attempts.set(event.id, attempt);
      const error = fail(event, attempt);
      if (error) throw error;
      seen.push(event.id);
    },
  };
  return { reactor, seen, attempts };
}

function run(reactor: Reactor, bulkhead = new WorkBulkhead('agents', 2, 100)): ReactorRunner {
  const runner = new ReactorRunner(new SharedLogReader(stores.events), new ReactorCheckpoints(stores.readStore), reactor, bulkhead, { retryDelayMs: 20, batchSize: 3 });
  runners.push(runner);
  return runner;
}

async function wanted(): Promise<string[]> {
  return (await stores.events.readAll()).filter((event) => event.type === 'Wanted').map((event) => event.id);
}

describe('a reactor runner', () => {
  it('reacts to each handled event once, in log order, and checkpoints past the others', async () => {
    await append('Wanted', 'Other', 'Wanted', 'Wanted', 'Other', 'Wanted', 'Other');
    const { reactor, seen } = recordingReactor();
    const runner = run(reactor);
    await runner.start();
    const head = await stores.events.headPosition();
    await eventually(async () => (runner.position === head ? true : undefined), 'the checkpoint to reach the head');
    expect(seen).toEqual(await wanted());
    expect(await new ReactorCheckpoints(stores.readStore).load('agent:recorder')).toBe(head);
  });

  it('resumes after its checkpoint when started again: nothing already reacted to is seen again', async () => {
    await append('Wanted', 'Wanted');
    const first = recordingReactor();
    const runner = run(first.reactor);
    await runner.start();
    await eventually(async () => (first.seen.length === 2 ? true : undefined), 'the first two reactions');
    await runner.stop();

    await append('Wanted');
    const second = recordingReactor();
    await run(second.reactor).start();
    const all = await wanted();
    await eventually(async () => (second.seen.length === 1 ? true : undefined), 'the reaction to the new event');
    expect(second.seen).toEqual([all[2]]);
  });

  it('on a transient failure, resubscribes from its checkpoint: the event is reacted to again and nothing after it is skipped', async () => {
    await append('Wanted', 'Wanted', 'Wanted', 'Wanted');
    const second = (await wanted())[1]!;
    const { reactor, seen, attempts } = recordingReactor((event, attempt) =>
      event.id === second && attempt <= 2 ? new BackendUnavailableError('event store', 'down for a moment') : null,
    );
    const runner = run(reactor);
    await runner.start();
    await eventually(async () => (seen.length === 4 ? true : undefined), 'every reaction');
    expect(seen).toEqual(await wanted());
    expect(attempts.get(second)).toBe(3);
    expect(await new ReactorCheckpoints(stores.readStore).parked('agent:recorder')).toEqual([]);
  });

  it('retries an event whose reaction keeps failing, then parks it and goes on', async () => {
    await append('Wanted', 'Wanted', 'Wanted');
    const poison = (await wanted())[1]!;
    const { reactor, seen, attempts } = recordingReactor((event) => (event.id === poison ? new Error('cannot handle this one') : null));
    const runner = run(reactor);
    await runner.start();
    await eventually(async () => (seen.length === 2 ? true : undefined), 'the healthy reactions');
    expect(attempts.get(poison)).toBe(3);
    const parked = await new ReactorCheckpoints(stores.readStore).parked('agent:recorder');
    expect(parked).toMatchObject([{ reactor: 'agent:recorder', eventId: poison, type: 'Wanted', error: 'cannot handle this one' }]);
  });

  it('runs reactions through the bulkhead: two reactors sharing a bulkhead of one never react at the same time', async () => {
    await append('Wanted', 'Wanted', 'Wanted');
    let running = 0;
    let mostAtOnce = 0;
    let reactions = 0;
    const slowReactor = (name: string): Reactor => ({
      name,
      canHandle: ['Wanted'],
      async react() {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 15));
        running -= 1;
        reactions += 1;
      },
    });
    const bulkhead = new WorkBulkhead('agents', 1, 100);
    await Promise.all([run(slowReactor('agent:a'), bulkhead).start(), run(slowReactor('agent:b'), bulkhead).start()]);
    await eventually(async () => (reactions === 6 ? true : undefined), 'both reactors to finish');
    expect(mostAtOnce).toBe(1);
  });
});
