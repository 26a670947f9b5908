import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pipelinesProjection } from '../../../src/projections/read-models/pipelines.js';
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

const run = {
  started: () =>
    log.event(
      'pipeline-P1',
      'PipelineStarted',
      {
        featureId: 'F1',
        commit: 'abcdef1',
        environment: 'production',
        strategy: 'canary',
        version: '2.0.0',
        bakeTimeMs: 0,
        buildId: 'P1',
        stages: [
          { environment: 'staging', deploymentId: 'D1' },
          { environment: 'production', deploymentId: 'D2' },
        ],
      },
      { correlationId: 'R1', actor: 'carol' },
    ),
  check: (check: 'build' | 'test_run' | 'security_scan') => log.event('pipeline-P1', 'PipelineCheckRecorded', { check, passed: true, detail: 'ok' }, { actor: 'agent:pipeline' }),
  stageStarted: (environment: 'staging' | 'production', deploymentId: string) => log.event('pipeline-P1', 'PipelineDeploymentStarted', { environment, deploymentId }),
  stageSucceeded: (environment: 'staging' | 'production', deploymentId: string) => log.event('pipeline-P1', 'PipelineDeploymentSucceeded', { environment, deploymentId }),
  succeeded: () => log.event('pipeline-P1', 'PipelineSucceeded', { environment: 'production', version: '2.0.0' }),
  failed: () => log.event('pipeline-P1', 'PipelineFailed', { reason: 'the build failed', deploymentId: null, rolledBack: false }),
};

const deployment = (id: string, environment: 'staging' | 'production') => ({
  started: () => log.event(`deployment-${id}`, 'DeploymentStarted', { buildId: 'P1', featureId: 'F1', environment, strategy: 'canary', version: '2.0.0' }),
  shifted: (percent: number) => log.event(`deployment-${id}`, 'TrafficShifted', { step: 1, percent }),
  succeeded: () => log.event(`deployment-${id}`, 'DeploymentSucceeded', { buildId: 'P1', environment, version: '2.0.0' }),
  rolledBack: () => log.event(`deployment-${id}`, 'DeploymentRolledBack', { environment, version: '2.0.0', reason: 'error rate' }),
});

describe('the pipelines read model', () => {
  it('given a run started, then it is running, awaits its build, and lists its deployments as pending', async () => {
    const started = run.started();
    docs = await given(pipelinesProjection, [started]);
    const { _state, ...doc } = (await docs.one('pipelines', 'P1'))!;
    expect(doc).toEqual({
      id: 'P1',
      revision: 0,
      status: 'running',
      featureId: 'F1',
      commit: 'abcdef1',
      environment: 'production',
      strategy: 'canary',
      version: '2.0.0',
      bakeTimeMs: 0,
      buildId: 'P1',
      checks: { build: null, test_run: null, security_scan: null },
      failureReason: null,
      rolledBack: false,
      deployments: [
        { environment: 'staging', deploymentId: 'D1', status: 'pending', percent: 0 },
        { environment: 'production', deploymentId: 'D2', status: 'pending', percent: 0 },
      ],
      currentStage: 'awaiting_build_result',
      correlationId: 'R1',
      startedAt: started.metadata.at,
      startedBy: 'carol',
      updatedAt: started.metadata.at,
      finishedAt: null,
    });
    expect(_state).toMatchObject({ status: 'running', stages: [expect.objectContaining({ deploymentId: 'D1', status: 'pending' }), expect.anything()] });
  });

  it('given its checks recorded and a deployment under way, then the run shows that deployment and its traffic', async () => {
    const staging = deployment('D1', 'staging');
    docs = await given(pipelinesProjection, [run.started(), run.check('build'), run.check('test_run')]);
    expect(await docs.one('pipelines', 'P1')).toMatchObject({ currentStage: 'awaiting_checks', checks: { build: { passed: true, detail: 'ok' }, test_run: { passed: true, detail: 'ok' }, security_scan: null } });
    await docs.apply([run.check('security_scan'), staging.started(), run.stageStarted('staging', 'D1'), staging.shifted(25)]);
    expect(await docs.one('pipelines', 'P1')).toMatchObject({
      currentStage: 'deploying_staging',
      deployments: [
        { deploymentId: 'D1', status: 'in_progress', percent: 25 },
        { deploymentId: 'D2', status: 'pending', percent: 0 },
      ],
    });
  });

  it('given every stage succeeded and the run succeeded, then it is finished', async () => {
    const staging = deployment('D1', 'staging');
    const production = deployment('D2', 'production');
    const events = [
      run.started(),
      run.check('build'),
      run.check('test_run'),
      run.check('security_scan'),
      staging.started(),
      staging.succeeded(),
      run.stageSucceeded('staging', 'D1'),
      production.started(),
      production.succeeded(),
      run.stageSucceeded('production', 'D2'),
    ];
    const succeeded = run.succeeded();
    docs = await given(pipelinesProjection, [...events, succeeded]);
    expect(await docs.one('pipelines', 'P1')).toMatchObject({
      status: 'succeeded',
      currentStage: 'succeeded',
      finishedAt: succeeded.metadata.at,
      deployments: [expect.objectContaining({ status: 'succeeded' }), expect.objectContaining({ status: 'succeeded' })],
    });
  });

  it('given a stage rolled back and the run failed, then it shows the failure', async () => {
    const staging = deployment('D1', 'staging');
    docs = await given(pipelinesProjection, [run.started(), staging.started(), staging.rolledBack(), run.failed()]);
    expect(await docs.one('pipelines', 'P1')).toMatchObject({
      status: 'failed',
      failureReason: 'the build failed',
      currentStage: 'failed',
      deployments: [expect.objectContaining({ deploymentId: 'D1', status: 'rolled_back' }), expect.objectContaining({ status: 'pending' })],
    });
  });

  it('given deployments outside any run, or pipeline events of a run it never saw start, then no run document', async () => {
    const outside = deployment('D7', 'staging');
    docs = await given(pipelinesProjection, [outside.started(), outside.succeeded(), run.check('build')]);
    expect(await docs.all('pipelines')).toEqual([]);
  });
});
