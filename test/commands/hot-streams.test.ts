import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ulid } from 'ulid';
import { CommandBus } from '../../src/commands/command-bus.js';
import { DomainRuleError } from '../../src/domain/errors.js';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/index.js';
import type { SqliteEventStore } from '../../src/eventstore/sqlite/index.js';
import { context, createFeature, temporaryEventStore, update } from './support/ledger-fixture.js';

// Commands queued on one stream are decided in turn and appended in one write.
let fixture: ReturnType<typeof temporaryEventStore>;
let store: SqliteEventStore;
let bus: CommandBus;
let featureId: string;

beforeEach(async () => {
  fixture = temporaryEventStore('agent-ledger-hot-');
  store = fixture.store;
  bus = new CommandBus(store);
  featureId = await createFeature(bus);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fixture.remove();
});

const featureEvents = () => store.readStream(`feature-${featureId}`);

describe('hot streams', () => {
  it('given N concurrent commands on one stream, each gets its own answer at consecutive revisions, in fewer writes than commands', async () => {
    const append = vi.spyOn(store, 'append');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => update(bus, featureId, i + 2)));

    expect(results.map((r) => r.revision).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.commandId)).size).toBe(20);
    expect(append.mock.calls.length).toBeLessThanOrEqual(3);
    const events = await featureEvents();
    for (const [i, result] of results.entries()) {
      const event = events[result.revision]!;
      expect(result.events).toEqual(['FeatureUpdated']);
      expect(event.metadata.commandId).toBe(result.commandId);
      expect(event.metadata.commandType).toBe('feature.update');
      expect((event.data as { changes: Record<string, unknown> }).changes).toEqual({ complexityPoints: i + 2 });
    }
  });

  it('given a batch where one command is refused by the decider, that one fails alone and the others are appended', async () => {
    const outcomes = await Promise.allSettled([
      update(bus, featureId, 5),
      bus.dispatch({ aggregateType: 'feature', id: featureId, command: { type: 'delete', data: {} }, context: context() }),
      update(bus, featureId, 6),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(DomainRuleError);
    expect((await featureEvents()).map((e) => e.type)).toEqual(['FeatureCreated', 'FeatureUpdated', 'FeatureDeleted']);
  });

  it('given the same command id twice in one batch, or an id appended earlier, each is appended once and answered the same', async () => {
    const earlier = await update(bus, featureId, 3);
    const repeated = ulid();
    const results = await Promise.all([update(bus, featureId, 4, repeated), update(bus, featureId, 4, repeated), update(bus, featureId, 9, earlier.commandId)]);

    expect(results[0]).toEqual(results[1]);
    expect(results[2]).toEqual(earlier);
    const events = await featureEvents();
    expect(events).toHaveLength(3);
    expect(events.filter((e) => e.metadata.commandId === repeated)).toHaveLength(1);
  });

  it('given If-Match on commands of one batch, only the one naming the revision it was decided on succeeds', async () => {
    const ifMatch = (points: number) =>
      bus.dispatch({ aggregateType: 'feature', id: featureId, command: { type: 'update', data: { complexityPoints: points } }, context: { ...context(), expectedRevision: 0 } });
    const outcomes = await Promise.allSettled([ifMatch(7), ifMatch(8)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await featureEvents()).toHaveLength(2);
  });

  it('given another process appends while a batch is decided, the batch falls back to one command at a time and loses nothing', async () => {
    const other = openSqliteEventStore({ file: fixture.file });
    const otherBus = new CommandBus(other);
    const realAppend = store.append.bind(store);
    let interfered = false;
    vi.spyOn(store, 'append').mockImplementation(async (stream, events, expected) => {
      if (!interfered && events.length > 1) {
        interfered = true;
        await update(otherBus, featureId, 50);
      }
      return realAppend(stream, events, expected);
    });
    const first = update(bus, featureId, 2);
    const rest = await Promise.all(Array.from({ length: 5 }, (_, i) => update(bus, featureId, i + 10)));
    await first;
    await other.close();

    expect(interfered).toBe(true);
    const events = await featureEvents();
    expect(events).toHaveLength(8);
    for (const result of rest) expect(events[result.revision]!.metadata.commandId).toBe(result.commandId);
  });
});
