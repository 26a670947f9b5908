import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus } from '../../src/commands/command-bus.js';
import { registerAggregate } from '../../src/commands/aggregate-io.js';
import { aggregates } from '../../src/commands/registry.js';
import { loadAggregate } from '../../src/commands/load-aggregate.js';
import { UndoConflictError } from '../../src/commands/undo.js';
import type { CommandContext } from '../../src/events/metadata.js';
import { AggregateNotFoundError, DomainRuleError, NotUndoableError } from '../../src/domain/errors.js';
import type { EventStore } from '../../src/eventstore/port.js';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { counter } from '../support/counter/index.js';
import { registerCounterRoutes } from '../support/counter/routes.js';

// Adding an aggregate is its module (test/support/counter/index.ts, written like a folder of
// src/domain), one line in the list of aggregates, and its route declarations
// (test/support/counter/routes.ts). Given only those, the counter runs through the command bus,
// undo, revert, time travel and history like the aggregates of the product.
const withCounter = [...aggregates, registerAggregate(counter)];

const context = (): CommandContext => {
  const commandId = ulid();
  return { actor: 'tester', actorRole: 'engineer', commandId, correlationId: commandId, causationId: commandId };
};

/** Records, in order, the reads and appends made on streams of the counter aggregate. */
function recordingCounterStreams(store: EventStore, log: string[]): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'readStream') {
        return async (...args: Parameters<EventStore['readStream']>) => {
          if (args[0].startsWith('counter-')) log.push('read');
          return target.readStream(...args);
        };
      }
      if (property === 'append') {
        return async (...args: Parameters<EventStore['append']>) => {
          const result = await target.append(...args);
          if (args[0].startsWith('counter-')) log.push('append');
          return result;
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a test-only aggregate, registered with one line, through the command bus', () => {
  let dir: string;
  let events: EventStore;
  let bus: CommandBus;
  const log: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-ledger-counter-'));
    events = openSqliteEventStore({ file: join(dir, 'events.db') });
    bus = new CommandBus(recordingCounterStreams(events, log), withCounter);
  });
  afterAll(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openCounter(): Promise<string> {
    const opened = await bus.dispatch({ aggregateType: 'counter', command: { type: 'open', data: { label: 'visits' } }, context: context() });
    expect(opened).toMatchObject({ aggregateType: 'counter', revision: 0, events: ['CounterOpened'], created: true });
    return opened.id;
  }

  const add = (id: string, amount: number) => bus.dispatch({ aggregateType: 'counter', id, command: { type: 'add', data: { amount } }, context: context() });

  it('given no registration, the bus does not know the aggregate', async () => {
    const without = new CommandBus(events);
    await expect(without.dispatch({ aggregateType: 'counter', command: { type: 'open', data: { label: 'x' } }, context: context() })).rejects.toThrow(/unknown aggregate type counter/);
  });

  it('when it is registered, its creating command opens a stream and its other commands run on it (404 on a missing one)', async () => {
    const id = await openCounter();
    expect(await add(id, 2)).toMatchObject({ revision: 1, events: ['CounterAdded'], created: false });
    expect((await loadAggregate(events, counter.decider, id)).state).toEqual({ status: 'open', label: 'visits', total: 2 });
    await expect(add(ulid(), 1)).rejects.toBeInstanceOf(AggregateNotFoundError);
    await expect(add(id, -5)).rejects.toBeInstanceOf(DomainRuleError);
    expect(bus.creates('counter', 'open')).toBe(true);
    expect(bus.creates('counter', 'add')).toBe(false);
  });

  it('when a command is undone, its compensation is appended with undoOf; undoing the undo redoes it', async () => {
    const id = await openCounter();
    await add(id, 2);
    const three = await add(id, 3);
    const undo = await bus.undo({ commandId: three.commandId, aggregateType: 'counter', aggregateId: id }, context());
    expect(undo).toMatchObject({ revision: 3, events: ['CounterAdded'] });
    const undoEvent = (await events.readStream(`counter-${id}`, { fromRevision: 3 }))[0]!;
    expect(undoEvent.data).toEqual({ amount: -3 });
    expect(undoEvent.metadata).toMatchObject({ undoOf: three.commandId, commandType: 'counter.undo' });
    expect((await loadAggregate(events, counter.decider, id)).state).toMatchObject({ total: 2 });

    await bus.undo({ commandId: undo.commandId, aggregateType: 'counter', aggregateId: id }, context());
    expect((await loadAggregate(events, counter.decider, id)).state).toMatchObject({ total: 5 });
  });

  it('undo is refused when a later command changed the same field, and for a command that cannot be undone', async () => {
    const id = await openCounter();
    const first = await add(id, 2);
    const later = await add(id, 3);
    const conflict = bus.undo({ commandId: first.commandId, aggregateType: 'counter', aggregateId: id }, context());
    await expect(conflict).rejects.toBeInstanceOf(UndoConflictError);
    await expect(conflict).rejects.toMatchObject({ conflictingCommands: [later.commandId], fields: ['total'] });
    const untouched = await openCounter();
    const opened = (await events.readStream(`counter-${untouched}`, { maxCount: 1 }))[0]!;
    const openUndo = bus.undo({ commandId: String(opened.metadata.commandId), aggregateType: 'counter', aggregateId: untouched }, context());
    await expect(openUndo).rejects.toBeInstanceOf(NotUndoableError);
  });

  it('revert goes back to the state at a revision, given by its module, and refuses a revision not reached yet', async () => {
    const id = await openCounter();
    await add(id, 2);
    await add(id, 3);
    const reverted = await bus.dispatch({ aggregateType: 'counter', id, command: { type: 'revert', data: { toRevision: 1 } }, context: context() });
    expect(reverted).toMatchObject({ revision: 3, events: ['CounterReverted'] });
    expect((await loadAggregate(events, counter.decider, id)).state).toEqual({ status: 'open', label: 'visits', total: 2 });
    const tooFar = bus.dispatch({ aggregateType: 'counter', id, command: { type: 'revert', data: { toRevision: 9 } }, context: context() });
    await expect(tooFar).rejects.toThrow(/cannot revert to revision 9/);
  });

  it('an undo issued together with a command to the same counter waits for its turn in the per-stream queue', async () => {
    const id = await openCounter();
    const two = await add(id, 2);
    log.length = 0;
    // Issued in this order: the undo runs first, then the addition; neither decides on a stale revision.
    const [undo, next] = await Promise.all([bus.undo({ commandId: two.commandId, aggregateType: 'counter', aggregateId: id }, context()), add(id, 4)]);
    expect(log).toEqual(['read', 'append', 'read', 'append']);
    expect([undo.revision, next.revision]).toEqual([2, 3]);
    expect((await loadAggregate(events, counter.decider, id)).state).toMatchObject({ total: 4 });
  });
});

describe('a test-only aggregate over HTTP, given its route declarations', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({}, { aggregates: withCounter, routes: registerCounterRoutes });
  });
  afterAll(async () => api.close());

  it('runs its commands, undoes them through the command log, and answers time travel and history from its stream', async () => {
    const opened = await api.request('POST', '/api/counters', { body: { label: 'visits' } });
    expect(opened.status).toBe(201);
    const { id } = opened.body;
    const added = await api.request('POST', `/api/counters/${id}/add`, { body: { amount: 5 } });
    expect(added.status).toBe(200);
    const wrong = await api.request('POST', `/api/counters/${id}/add`, { body: { amount: 'five' } });
    expect(wrong.status).toBe(400);

    const undo = await api.request('POST', `/api/commands/${added.body.commandId}/undo`);
    expect(undo.status).toBe(200);
    expect(undo.body).toMatchObject({ id, revision: 2, events: ['CounterAdded'] });

    const atOne = await api.request('GET', `/api/counters/${id}?revision=1`);
    expect(atOne.status).toBe(200);
    expect(atOne.body).toMatchObject({ id, revision: 1, status: 'open', label: 'visits', total: 5 });
    expect(atOne.headers.get('etag')).toBe('"1"');
    const now = await api.request('GET', `/api/counters/${id}?at=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(now.body).toMatchObject({ revision: 2, total: 0 });
    expect((await api.request('GET', `/api/counters/${id}?revision=7`)).status).toBe(404);

    const history = await api.request('GET', `/api/counters/${id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.items.map((event: { type: string; data: unknown }) => [event.type, event.data])).toEqual([
      ['CounterOpened', { label: 'visits' }],
      ['CounterAdded', { amount: 5 }],
      ['CounterAdded', { amount: -5 }],
    ]);
    expect(history.body.items[2].metadata).toMatchObject({ undoOf: added.body.commandId });

    const logged = await api.request('GET', `/api/commands/${added.body.commandId}`);
    expect(logged.body).toMatchObject({ aggregateType: 'counter', aggregateId: id, type: 'counter.add', undoneBy: undo.body.commandId });

    const reverted = await api.request('POST', `/api/counters/${id}/revert`, { body: { toRevision: 1 } });
    expect(reverted.status).toBe(200);
    expect((await api.request('GET', `/api/counters/${id}?revision=3`)).body).toMatchObject({ total: 5 });
  });
});
