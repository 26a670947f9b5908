import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allProjections } from '../../../src/projections/read-models/index.js';
import type { Projection } from '../../../src/projections/projection.js';
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

const readModel = (name: string): Projection => allProjections().find((projection) => projection.name === name)!;
const login = { requirementId: 'Q1', name: 'Login', complexityPoints: 5, developer: 'bob' };

describe('the aggregate read models', () => {
  it('given a feature created and updated, then its document is its state with who made and changed it', async () => {
    const created = log.event('feature-F1', 'FeatureCreated', login, { actor: 'alice' });
    const updated = log.event('feature-F1', 'FeatureUpdated', { changes: { name: 'SSO login' }, previous: { name: 'Login' } }, { actor: 'bob' });
    docs = await given(readModel('features'), [created, updated]);
    expect(await docs.all('features')).toEqual([
      {
        id: 'F1',
        revision: 1,
        status: 'active',
        requirementId: 'Q1',
        name: 'SSO login',
        complexityPoints: 5,
        developer: 'bob',
        createdAt: created.metadata.at,
        createdBy: 'alice',
        updatedAt: updated.metadata.at,
        updatedBy: 'bob',
      },
    ]);
  });

  it('given a feature deleted and then reverted to an earlier state, then the document shows the reverted state', async () => {
    docs = await given(readModel('features'), [
      log.event('feature-F1', 'FeatureCreated', login),
      log.event('feature-F1', 'FeatureDeleted', { name: 'Login' }),
      log.event('feature-F1', 'FeatureReverted', { toRevision: 0, state: { status: 'active', ...login } }),
    ]);
    expect(await docs.one('features', 'F1')).toMatchObject({ status: 'active', name: 'Login', revision: 2 });
  });

  it('given a requirement captured and rejected, then its document has the rejection', async () => {
    docs = await given(readModel('requirements'), [
      log.event('requirement-Q1', 'RequirementCaptured', { title: 'Sign-in', description: 'SSO', priority: 'high', acceptanceCriteria: ['signs in'] }),
      log.event('requirement-Q1', 'RequirementRejected', { title: 'Sign-in', reason: 'out of scope' }),
    ]);
    expect(await docs.one('requirements', 'Q1')).toMatchObject({ status: 'rejected', rejectionReason: 'out of scope', title: 'Sign-in', acceptanceCriteria: ['signs in'], revision: 1 });
  });

  it('given a build with its results, then its document follows the build decider', async () => {
    docs = await given(readModel('builds'), [
      log.event('build-B1', 'BuildRequested', { featureId: 'F1', commit: 'abcdef1', repository: null }),
      log.event('build-B1', 'BuildSucceeded', { featureId: 'F1', commit: 'abcdef1', durationMs: 1200 }),
      log.event('build-B1', 'TestRunRecorded', { passed: 10, failed: 0, coverage: 91 }),
    ]);
    expect(await docs.one('builds', 'B1')).toMatchObject({ featureId: 'F1', status: 'succeeded', durationMs: 1200, latestTestRun: { passed: 10, failed: 0, coverage: 91 }, revision: 2 });
  });

  it('given events of other aggregates in the log, then each read model keeps only its own', async () => {
    const events = [
      log.event('feature-F1', 'FeatureCreated', login),
      log.event('requirement-Q1', 'RequirementCaptured', { title: 'Sign-in', description: '', priority: 'low', acceptanceCriteria: ['a'] }),
      log.event('deployment-D1', 'DeploymentStarted', { buildId: 'B1', featureId: 'F1', environment: 'staging', strategy: 'rolling', version: '1.0.0' }),
      log.event('incident-I1', 'IncidentOpened', { deploymentId: 'D1', environment: 'staging', reason: 'boom', causedBy: 'DeploymentFailed' }),
    ];
    for (const [name, id] of [['features', 'F1'], ['requirements', 'Q1'], ['deployments', 'D1'], ['incidents', 'I1'], ['builds', null]] as const) {
      const projected = await given(readModel(name), events);
      expect((await projected.all(name)).map((doc) => doc.id)).toEqual(id === null ? [] : [id]);
      await projected.close();
    }
  });

  it('given an event of the aggregate applied again, then nothing changes', async () => {
    const created = log.event('feature-F1', 'FeatureCreated', login);
    const updated = log.event('feature-F1', 'FeatureUpdated', { changes: { complexityPoints: 8 }, previous: { complexityPoints: 5 } });
    docs = await given(readModel('features'), [created, updated]);
    await docs.apply([updated]);
    expect(await docs.one('features', 'F1')).toMatchObject({ complexityPoints: 8, revision: 1 });
  });

  it('handle exactly the event types of their aggregate', () => {
    expect(readModel('features').canHandle).toEqual(['FeatureCreated', 'FeatureUpdated', 'FeatureDeleted', 'FeatureRestored', 'FeatureReverted']);
    expect(readModel('incidents').canHandle).toEqual(['IncidentOpened', 'IncidentResolved']);
  });
});
