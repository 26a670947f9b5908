import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandsProjection } from '../../../src/projections/read-models/commands.js';
import { EventLog, given, type ProjectedDocuments } from './support/given-events.js';

let log: EventLog;
let docs: ProjectedDocuments | null = null;
beforeEach(() => {
  log = new EventLog();
});
afterEach(async () => {
  await docs?.close();
  docs = null;
});

const deploymentData = { buildId: 'B1', featureId: 'F1', environment: 'staging', strategy: 'canary', version: '1.0.0' } as const;

describe('the command log read model', () => {
  it('given the events of one command, then one document with the command and every event it appended', async () => {
    const meta = { commandId: 'C1', commandType: 'deployment.fail', correlationId: 'R1', causationId: 'C1' };
    const failed = log.event('deployment-D1', 'DeploymentFailed', { environment: 'staging', version: '1.0.0', reason: 'boom' }, meta);
    const rolledBack = log.event('deployment-D1', 'DeploymentRolledBack', { environment: 'staging', version: '1.0.0', reason: 'boom' }, meta);
    docs = await given(commandsProjection, [failed, rolledBack]);
    expect(await docs.all('commands')).toEqual([
      {
        id: 'C1',
        type: 'deployment.fail',
        actor: 'alice',
        actorRole: 'engineer',
        at: failed.metadata.at,
        aggregateType: 'deployment',
        aggregateId: 'D1',
        streamName: 'deployment-D1',
        correlationId: 'R1',
        causationId: 'C1',
        undoOf: null,
        undoneBy: null,
        events: [
          { type: 'DeploymentFailed', revision: 0, position: failed.position.toString() },
          { type: 'DeploymentRolledBack', revision: 1, position: rolledBack.position.toString() },
        ],
      },
    ]);
  });

  it('given an undo, then the undone command names it in undoneBy and the undo names what it undid', async () => {
    const created = log.event('feature-F1', 'FeatureCreated', { requirementId: 'Q1', name: 'Login', complexityPoints: 5, developer: 'bob' }, { commandId: 'C1' });
    const deleted = log.event('feature-F1', 'FeatureDeleted', { name: 'Login' }, { commandId: 'C2', undoOf: 'C1' });
    docs = await given(commandsProjection, [created, deleted]);
    expect(await docs.one('commands', 'C1')).toMatchObject({ undoneBy: 'C2', undoOf: null });
    expect(await docs.one('commands', 'C2')).toMatchObject({ undoneBy: null, undoOf: 'C1' });
  });

  it('given a redo (an undo of the undo), then each command names the one that undid it', async () => {
    const created = log.event('feature-F1', 'FeatureCreated', { requirementId: 'Q1', name: 'Login', complexityPoints: 5, developer: 'bob' }, { commandId: 'C1' });
    const deleted = log.event('feature-F1', 'FeatureDeleted', { name: 'Login' }, { commandId: 'C2', undoOf: 'C1' });
    const restored = log.event('feature-F1', 'FeatureRestored', { name: 'Login' }, { commandId: 'C3', undoOf: 'C2' });
    docs = await given(commandsProjection, [created, deleted, restored]);
    expect((await docs.all('commands')).map((doc) => [doc.id, doc.undoOf, doc.undoneBy])).toEqual([
      ['C1', null, 'C2'],
      ['C2', 'C1', 'C3'],
      ['C3', 'C2', null],
    ]);
  });

  it('given an undo of a command it never saw, then no document is made up for that command', async () => {
    const deleted = log.event('feature-F1', 'FeatureDeleted', { name: 'Login' }, { commandId: 'C2', undoOf: 'C0' });
    docs = await given(commandsProjection, [deleted]);
    expect((await docs.all('commands')).map((doc) => doc.id)).toEqual(['C2']);
  });

  it('given environment reservations and events without a command id, then they make no command documents', async () => {
    const reserved = log.raw('environment-staging', 'EnvironmentReserved', { deploymentId: 'D1', buildId: 'B1', version: '1.0.0' }, { commandId: 'C1' });
    const started = log.event('deployment-D1', 'DeploymentStarted', deploymentData, { commandId: 'C1' });
    const imported = log.raw('deployment-D2', 'DeploymentStarted', deploymentData, {});
    docs = await given(commandsProjection, [reserved, started, imported]);
    const all = await docs.all('commands');
    expect(all.map((doc) => [doc.id, doc.aggregateType, (doc.events as unknown[]).length])).toEqual([['C1', 'deployment', 1]]);
  });
});
