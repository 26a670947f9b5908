import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../src/backends/errors.js';
import { WrongExpectedRevisionError, type EventStore, type EventToAppend } from '../../src/eventstore/port.js';
import { BackendPolicy, ResilientEventStore } from '../../src/resilience/index.js';
import { CommandBus } from '../../src/commands/command-bus.js';
import { Faults } from './support/faults.js';
import { faultyEventStore } from './support/faulty-backends.js';
import { temporaryStores } from './support/stores.js';

// Appends whose outcome is unknown are the dangerous case: a blind retry could append twice,
// or make the command pipeline decide again on a state that already includes its own effect.
let stores: ReturnType<typeof temporaryStores>;
let faults: Faults;
let store: EventStore;
beforeEach(() => {
  stores = temporaryStores();
  faults = new Faults('event store');
  const policy = new BackendPolicy('event store', { callTimeoutMs: 80, maxAttempts: 3, initialBackoffMs: 5, maxBackoffMs: 20, breakerThreshold: 10, halfOpenAfterMs: 500 });
  store = new ResilientEventStore(faultyEventStore(stores.events, faults), policy);
});
afterEach(async () => {
  faults.restore();
  await stores.dispose();
});

const event = (type = 'Happened'): EventToAppend => ({ id: randomUUID(), type, data: {}, metadata: {} });

describe('append with an unknown outcome', () => {
  it('given the write lands but its answer is lost, when retried, then the events are found, not appended again', async () => {
    await store.append('thing-1', [event()], 'no_stream');
    faults.landThenFailNext(1, ['append']);
    const appendsBefore = faults.count('append');
    const events = [event('A'), event('B')];
    const result = await store.append('thing-1', events, 0);
    expect(result.nextRevision).toBe(2);
    const stream = await stores.events.readStream('thing-1');
    expect(stream.map((stored) => stored.id)).toEqual([stream[0]!.id, events[0]!.id, events[1]!.id]);
    expect(faults.count('append') - appendsBefore).toBe(1);
  });

  it('given the first write is so slow that it lands during the retry, then the stream still holds it once', async () => {
    faults.slowNext(1, 150, ['append']);
    const only = event();
    const result = await store.append('thing-2', [only], 'no_stream');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stream = await stores.events.readStream('thing-2');
    expect(stream.map((stored) => stored.id)).toEqual([only.id]);
    expect(result.nextRevision).toBe(0);
  });

  it('given a real concurrent writer, when the retry meets its events, then the conflict still reaches the caller', async () => {
    await store.append('thing-3', [event()], 'no_stream');
    faults.failNext(1, ['append']);
    const concurrent = stores.events.append('thing-3', [event('Theirs')], 0);
    await concurrent;
    await expect(store.append('thing-3', [event('Ours')], 0)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
  });

  it('given the store stays down, when appending, then it gives up with BackendUnavailableError and nothing is written', async () => {
    faults.failNext(10, ['append']);
    await expect(store.append('thing-4', [event()], 'no_stream')).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(await stores.events.readStream('thing-4')).toEqual([]);
    expect(faults.count('append')).toBe(3);
  });
});

describe('a command whose append outcome is unknown', () => {
  it('advances a deployment once, not twice, when its landed append is retried', async () => {
    const bus = new CommandBus(store);
    const deploymentId = ulid();
    // A deployment started directly in the log (the gates are not what this test is about).
    await stores.events.append(`deployment-${deploymentId}`, [
      { id: randomUUID(), type: 'DeploymentStarted', data: { buildId: 'B', featureId: 'F', environment: 'staging', strategy: 'canary', version: '1.0.0' }, metadata: {} },
    ], 'no_stream');
    faults.landThenFailNext(1, ['append']);
    const context = { actor: 'alice', actorRole: 'engineer', commandId: ulid(), correlationId: 'c', causationId: 'c' };
    const result = await bus.dispatch({ aggregateType: 'deployment', id: deploymentId, command: { type: 'advance', data: {} }, context });
    expect(result.events).toEqual(['TrafficShifted']);
    const stream = await stores.events.readStream(`deployment-${deploymentId}`);
    expect(stream.map((stored) => [stored.type, (stored.data as { percent?: number }).percent])).toEqual([
      ['DeploymentStarted', undefined],
      ['TrafficShifted', 5],
    ]);
  });
});

describe('reads', () => {
  it('retries a read that failed transiently', async () => {
    await store.append('thing-5', [event()], 'no_stream');
    faults.failNext(2, ['readStream']);
    await expect(store.readStream('thing-5')).resolves.toHaveLength(1);
    expect(faults.count('readStream')).toBe(3);
  });
});
