import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandBus } from '../../src/commands/command-bus.js';
import type { CommandContext } from '../../src/events/metadata.js';
import { DomainConflictError } from '../../src/domain/errors.js';
import { openSqliteEventStore, type SqliteEventStore } from '../../src/eventstore/sqlite/index.js';

// One deployment in progress per environment, also when the starts come from different
// processes (here: two stores and two command buses on one file, as an API and a worker would).
let dir: string;
let first: SqliteEventStore;
let second: SqliteEventStore;

const context = (): CommandContext => {
  const commandId = ulid();
  return { actor: 'test', actorRole: 'engineer', commandId, correlationId: commandId, causationId: commandId };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'agent-ledger-reservation-'));
  first = openSqliteEventStore({ file: join(dir, 'events.db') });
  second = openSqliteEventStore({ file: join(dir, 'events.db') });
});
afterAll(async () => {
  await first.close();
  await second.close();
  rmSync(dir, { recursive: true, force: true });
});

async function readyBuild(bus: CommandBus): Promise<string> {
  const requirement = await bus.dispatch({ aggregateType: 'requirement', command: { type: 'capture', data: { title: 't', description: '', priority: 'low', acceptanceCriteria: ['a'] } }, context: context() });
  await bus.dispatch({ aggregateType: 'requirement', id: requirement.id, command: { type: 'approve', data: {} }, context: context() });
  const feature = await bus.dispatch({ aggregateType: 'feature', command: { type: 'create', data: { requirementId: requirement.id, name: 'f', complexityPoints: 1, developer: 'd' } }, context: context() });
  const build = await bus.dispatch({ aggregateType: 'build', command: { type: 'request', data: { featureId: feature.id, commit: 'abcdef1' } }, context: context() });
  await bus.dispatch({ aggregateType: 'build', id: build.id, command: { type: 'recordResult', data: { outcome: 'succeeded', durationMs: 1 } }, context: context() });
  await bus.dispatch({ aggregateType: 'build', id: build.id, command: { type: 'recordTestRun', data: { passed: 1, failed: 0, coverage: 90 } }, context: context() });
  await bus.dispatch({ aggregateType: 'build', id: build.id, command: { type: 'recordSecurityScan', data: { findings: [] } }, context: context() });
  return build.id;
}

const start = (bus: CommandBus, buildId: string, version: string) =>
  bus.dispatch({ aggregateType: 'deployment', command: { type: 'start', data: { buildId, environment: 'staging', strategy: 'rolling', version } }, context: context() });

describe('environment reservations', () => {
  it('given two processes starting deployments to one environment at once, exactly one starts', async () => {
    const busA = new CommandBus(first);
    const busB = new CommandBus(second);
    const buildId = await readyBuild(busA);
    for (let round = 0; round < 5; round++) {
      const outcomes = await Promise.allSettled([start(busA, buildId, `1.0.${round}`), start(busB, buildId, `2.0.${round}`)]);
      const started = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(started).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.reason).toBeInstanceOf(DomainConflictError);
      // Finish it so the next round starts from a free environment.
      const id = (started[0] as PromiseFulfilledResult<{ id: string }>).value.id;
      await busA.dispatch({ aggregateType: 'deployment', id, command: { type: 'fail', data: { reason: 'next round' } }, context: context() });
    }
  });

  it('a finished deployment frees the environment, and the reservations record each start', async () => {
    const bus = new CommandBus(first);
    const buildId = await readyBuild(bus);
    const deployment = await start(bus, buildId, '3.0.0');
    await expect(start(bus, buildId, '3.0.1')).rejects.toBeInstanceOf(DomainConflictError);
    await bus.dispatch({ aggregateType: 'deployment', id: deployment.id, command: { type: 'rollback', data: { reason: 'done' } }, context: context() });
    await expect(start(bus, buildId, '3.0.2')).resolves.toMatchObject({ events: ['DeploymentStarted'] });
    const reservations = await first.readStream('environment-staging');
    expect(reservations.every((e) => e.type === 'EnvironmentReserved')).toBe(true);
  });
});
