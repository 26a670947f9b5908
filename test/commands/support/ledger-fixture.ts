import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import type { CommandBus } from '../../../src/commands/command-bus.js';
import type { CommandContext } from '../../../src/events/metadata.js';
import { openSqliteEventStore, type SqliteEventStore } from '../../../src/eventstore/sqlite/index.js';

export const context = (commandId: string = ulid()): CommandContext => ({
  actor: 'test',
  actorRole: 'engineer',
  commandId,
  correlationId: commandId,
  causationId: commandId,
});

/** An embedded event store in a fresh directory; `file` lets a second store open the same log. */
export function temporaryEventStore(prefix: string): { dir: string; file: string; store: SqliteEventStore; remove(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'events.db');
  const store = openSqliteEventStore({ file });
  return { dir, file, store, remove: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** An approved requirement and a feature for it; returns the feature's id (its stream is at revision 0). */
export async function createFeature(bus: CommandBus): Promise<string> {
  const requirement = await bus.dispatch({
    aggregateType: 'requirement',
    command: { type: 'capture', data: { title: 't', description: '', priority: 'low', acceptanceCriteria: ['a'] } },
    context: context(),
  });
  await bus.dispatch({ aggregateType: 'requirement', id: requirement.id, command: { type: 'approve', data: {} }, context: context() });
  const feature = await bus.dispatch({
    aggregateType: 'feature',
    command: { type: 'create', data: { requirementId: requirement.id, name: 'f', complexityPoints: 1, developer: 'd' } },
    context: context(),
  });
  return feature.id;
}

export const update = (bus: CommandBus, id: string, complexityPoints: number, commandId?: string) =>
  bus.dispatch({ aggregateType: 'feature', id, command: { type: 'update', data: { complexityPoints } }, context: context(commandId) });
