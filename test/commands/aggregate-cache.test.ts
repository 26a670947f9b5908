import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommandBus } from '../../src/commands/command-bus.js';
import { DomainRuleError } from '../../src/domain/errors.js';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/eventstore/sqlite/index.js';
import { context, createFeature, temporaryEventStore, update } from './support/ledger-fixture.js';

// Cached state is a starting point, never an answer: every use reads the stream from it forward.
let fixture: ReturnType<typeof temporaryEventStore>;
let other: SqliteEventStore;
let bus: CommandBus;
let otherProcess: CommandBus;
let featureId: string;

beforeEach(async () => {
  fixture = temporaryEventStore('agent-ledger-cache-');
  other = openSqliteEventStore({ file: fixture.file });
  bus = new CommandBus(fixture.store);
  otherProcess = new CommandBus(other);
  featureId = await createFeature(bus);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await other.close();
  await fixture.remove();
});

const requestBuild = (on: CommandBus) =>
  on.dispatch({ aggregateType: 'build', command: { type: 'request', data: { featureId, commit: 'abcdef1' } }, context: context() });

describe('aggregate state cache', () => {
  it('given a feature cached as a fact, when another process deletes it, then a build request for it is refused', async () => {
    await requestBuild(bus);
    await otherProcess.dispatch({ aggregateType: 'feature', id: featureId, command: { type: 'delete', data: {} }, context: context() });
    await expect(requestBuild(bus)).rejects.toBeInstanceOf(DomainRuleError);
  });

  it('given a cached aggregate, when another process appends to it, then the next command decides on the new head', async () => {
    await update(bus, featureId, 2);
    await update(otherProcess, featureId, 3);
    expect((await update(bus, featureId, 4)).revision).toBe(3);
  });

  it('given a cached aggregate at the head, a command reads only the events after the cached revision', async () => {
    await update(bus, featureId, 2);
    const readStream = vi.spyOn(fixture.store, 'readStream');
    await update(bus, featureId, 3);
    expect(readStream.mock.calls).toEqual([[`feature-${featureId}`, { fromRevision: 2 }]]);
  });
});
