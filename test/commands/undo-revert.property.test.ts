import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus } from '../../src/commands/command-bus.js';
import { loadAggregate } from '../../src/commands/load-aggregate.js';
import type { CommandContext } from '../../src/events/metadata.js';
import { featureDecider } from '../../src/domain/feature/index.js';
import { DomainConflictError, DomainRuleError, NotUndoableError } from '../../src/domain/errors.js';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/index.js';
import type { EventStore } from '../../src/eventstore/port.js';

// Property: for any sequence of commands on a feature, undoing the last one that appended
// restores the state before it exactly (or is refused with a documented error), and reverting
// to any revision reproduces that revision's state.
let dir: string;
let events: EventStore;
let bus: CommandBus;

const context = (): CommandContext => {
  const commandId = ulid();
  return { actor: 'prop', actorRole: 'engineer', commandId, correlationId: commandId, causationId: commandId };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'agent-ledger-prop-'));
  events = openSqliteEventStore({ file: join(dir, 'events.db') });
  bus = new CommandBus(events);
});
afterAll(async () => {
  await events.close();
  rmSync(dir, { recursive: true, force: true });
});

const featureCommand = fc.oneof(
  fc.record({ type: fc.constant('update'), data: fc.record({ name: fc.constantFrom('A', 'B', 'C') }, { requiredKeys: ['name'] }) }),
  fc.record({ type: fc.constant('update'), data: fc.record({ complexityPoints: fc.integer({ min: 1, max: 100 }) }) }),
  fc.record({ type: fc.constant('update'), data: fc.record({ developer: fc.constantFrom('ann', 'ben'), name: fc.constantFrom('D', 'E') }) }),
  fc.record({ type: fc.constant('delete'), data: fc.constant({}) }),
  fc.record({ type: fc.constant('revert'), data: fc.record({ toRevision: fc.integer({ min: 0, max: 12 }) }) }),
  fc.record({ type: fc.constant('undoLast'), data: fc.constant({}) }),
);

const REFUSALS = [DomainRuleError, DomainConflictError, NotUndoableError];
const refused = (error: unknown) => REFUSALS.some((kind) => error instanceof kind);

async function approvedRequirement(): Promise<string> {
  const created = await bus.dispatch({
    aggregateType: 'requirement',
    command: { type: 'capture', data: { title: 'prop', description: '', priority: 'low', acceptanceCriteria: ['x'] } },
    context: context(),
  });
  await bus.dispatch({ aggregateType: 'requirement', id: created.id, command: { type: 'approve', data: {} }, context: context() });
  return created.id;
}

describe('undo and revert, for random command sequences on a feature', () => {
  it('undo of the last command restores the previous state; revert reproduces any revision', async () => {
    const requirementId = await approvedRequirement();
    await fc.assert(
      fc.asyncProperty(fc.array(featureCommand, { maxLength: 10 }), fc.nat(), async (commands, pick) => {
        const created = await bus.dispatch({
          aggregateType: 'feature',
          command: { type: 'create', data: { requirementId, name: 'Start', complexityPoints: 3, developer: 'zoe' } },
          context: context(),
        });
        const id = created.id;
        let lastCommandId = created.commandId;
        for (const command of commands) {
          try {
            const result =
              command.type === 'undoLast'
                ? await bus.undo({ commandId: lastCommandId, aggregateType: 'feature', aggregateId: id }, context())
                : await bus.dispatch({ aggregateType: 'feature', id, command, context: context() });
            if (result.events.length > 0) lastCommandId = result.commandId;
          } catch (error) {
            if (!refused(error)) throw error;
          }
        }

        // Undo the last command that appended: the state before it comes back, or a documented refusal.
        const stream = await events.readStream(`feature-${id}`);
        const firstOfLast = stream.findIndex((event) => event.metadata.commandId === lastCommandId);
        const before = await loadAggregate(events, featureDecider, id, { toRevision: firstOfLast - 1 });
        try {
          await bus.undo({ commandId: lastCommandId, aggregateType: 'feature', aggregateId: id }, context());
          const after = await loadAggregate(events, featureDecider, id);
          // An append-only log cannot return to "never existed": undoing the creation deletes.
          if (firstOfLast === 0) expect(after.state).toMatchObject({ status: 'deleted' });
          else expect(after.state).toEqual(before.state);
        } catch (error) {
          if (!refused(error)) throw error;
        }

        // Revert to any revision: the state is that revision's.
        const head = await loadAggregate(events, featureDecider, id);
        const toRevision = pick % (head.revision + 1);
        const expected = await loadAggregate(events, featureDecider, id, { toRevision });
        await bus.dispatch({ aggregateType: 'feature', id, command: { type: 'revert', data: { toRevision } }, context: context() });
        expect((await loadAggregate(events, featureDecider, id)).state).toEqual(expected.state);
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
