import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../agents/support/eventually.js';
import {
  ACCEPTANCE_CRITERIA,
  approvedFeature,
  auditTrail,
  awaitBuildRequest,
  awaitRun,
  cleanScan,
  passingTests,
  record,
  recordGreenBuild,
  startPipeline,
} from './support/scripted-client.js';

// The pipeline facade end to end on the embedded default, by API calls alone: the agents run
// in-process, and this test plays the people and the external agents (CI, test runner, scanner).
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp({}, { agents: { pipelineSweepIntervalMs: 200, runner: { retryDelayMs: 50 } } });
});
afterAll(async () => api.close());

const finished = (doc: any) => doc.status !== 'running';

describe('a pipeline run from feature to production', () => {
  it('builds, waits for the recorded results, deploys to staging then production step by step, and succeeds', async () => {
    const { featureId } = await approvedFeature(api);
    const run = await startPipeline(api, { featureId, commit: 'a1b2c3d4', environment: 'production', strategy: 'canary', version: '1.4.0' });

    await recordGreenBuild(api, run);
    const done = await awaitRun(api, run, finished, 'the run to finish');

    expect(done).toMatchObject({ id: run.id, status: 'succeeded', environment: 'production', version: '1.4.0', correlationId: run.correlationId, currentStage: 'succeeded' });
    expect(done.checks).toEqual({
      build: { passed: true, detail: 'build succeeded in 42000 ms' },
      test_run: { passed: true, detail: '120 passed, 0 failed, 91% coverage' },
      security_scan: { passed: true, detail: '0 finding(s), 0 high or critical' },
    });
    expect(done.deployments.map((d: any) => [d.environment, d.status, d.percent])).toEqual([
      ['staging', 'succeeded', 100],
      ['production', 'succeeded', 100],
    ]);
    const environments = await eventually(async () => {
      const list = await api.request('GET', '/api/environments');
      const production = list.body.items.find((env: any) => env.id === 'production');
      return production?.currentVersion === '1.4.0' ? production : undefined;
    }, 'production to run 1.4.0');
    expect(environments.currentDeploymentId).toBe(done.deployments[1].deploymentId);
  });

  it('puts every step in the audit timeline under the run correlation id, the agent steps caused by the events they react to', async () => {
    const { featureId } = await approvedFeature(api);
    const run = await startPipeline(api, { featureId, commit: 'b2c3d4e5', environment: 'production', strategy: 'blue_green', version: '2.0.0' });
    await recordGreenBuild(api, run);
    await awaitRun(api, run, finished, 'the run to finish');

    const trail = await eventually(async () => {
      const entries = await auditTrail(api, run.correlationId);
      return entries.some((entry) => entry.type === 'PipelineSucceeded') ? entries : undefined;
    }, 'the audit timeline to show the end of the run');
    // The external results come in while the run goes on, so only their own order is fixed.
    const types = trail.map((entry) => entry.type);
    const recordedByOthers = ['BuildSucceeded', 'TestRunRecorded', 'SecurityScanRecorded'];
    expect(types.filter((type) => recordedByOthers.includes(type))).toEqual(recordedByOthers);
    expect(types.filter((type) => !recordedByOthers.includes(type))).toEqual([
      'PipelineStarted',
      'BuildRequested',
      'PipelineCheckRecorded', 'PipelineCheckRecorded', 'PipelineCheckRecorded',
      'EnvironmentReserved', 'DeploymentStarted',
      'PipelineDeploymentStarted',
      'TrafficShifted', 'TrafficShifted', 'TrafficShifted', 'DeploymentSucceeded',
      'PipelineDeploymentSucceeded',
      'EnvironmentReserved', 'DeploymentStarted',
      'PipelineDeploymentStarted',
      'TrafficShifted', 'TrafficShifted', 'TrafficShifted', 'DeploymentSucceeded',
      'PipelineDeploymentSucceeded',
      'PipelineSucceeded',
    ]);
    const byAgent = trail.filter((entry) => entry.actor === 'agent:pipeline');
    expect(byAgent.length).toBe(trail.length - 4); // all but the start request and the three recorded results
    // Each check the agent records is caused by the result it saw.
    const history = await api.request('GET', `/api/builds/${run.id}/history`);
    const resultEventIds = history.body.items.filter((event: any) => recordedByOthers.includes(event.type)).map((event: any) => event.eventId);
    const checks = trail.filter((entry) => entry.type === 'PipelineCheckRecorded');
    expect(checks.map((entry) => entry.causationId).sort()).toEqual([...resultEventIds].sort());
  });

  it('generates the feature test plan, one case per acceptance criterion (testing-engineer agent)', async () => {
    const { featureId, requirementId } = await approvedFeature(api, 'Plan me');
    const plan = await eventually(async () => {
      const response = await api.request('GET', `/api/testplans/${featureId}`);
      return response.status === 200 ? response.body : undefined;
    }, 'the test plan');
    expect(plan).toMatchObject({ featureId, requirementId, generatedBy: 'agent:testing-engineer' });
    expect(plan.cases.map((c: any) => c.criterion)).toEqual(ACCEPTANCE_CRITERIA);
  });
});

describe('a failing pipeline run', () => {
  it('stops a rollout whose health breaks: the deployment is rolled back and one incident is opened', async () => {
    const { featureId } = await approvedFeature(api);
    // A long bake time holds the first traffic step while the new test run comes in.
    const run = await startPipeline(api, { featureId, commit: 'c3d4e5f6', environment: 'production', strategy: 'canary', version: '3.0.0', bakeTimeMs: 600_000 });
    await recordGreenBuild(api, run);
    const deploying = await awaitRun(api, run, (doc) => doc.deployments[0].status === 'in_progress', 'the staging rollout');
    const deploymentId = deploying.deployments[0].deploymentId;

    await record(api, run, 'test-runs', { passed: 117, failed: 3, coverage: 90 });
    const failed = await awaitRun(api, run, finished, 'the run to fail');

    expect(failed).toMatchObject({ status: 'failed', rolledBack: true });
    expect(failed.failureReason).toContain('the latest test run has 3 failed tests');
    expect(failed.deployments.map((d: any) => [d.environment, d.status])).toEqual([
      ['staging', 'rolled_back'],
      ['production', 'pending'],
    ]);
    const incidents = await eventually(async () => {
      const list = await api.request('GET', `/api/incidents?deploymentId=${deploymentId}`);
      return list.body.items.length > 0 ? list.body.items : undefined;
    }, 'an incident');
    // Leave the agent time to see the second event of the failure, which must add nothing.
    const trail = await eventually(async () => {
      const entries = await auditTrail(api, run.correlationId);
      return entries.some((entry) => entry.type === 'PipelineFailed') && entries.some((entry) => entry.type === 'IncidentOpened') ? entries : undefined;
    }, 'the audit timeline to show the failure');
    expect(trail.filter((entry) => entry.type === 'IncidentOpened')).toHaveLength(1);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ status: 'open', environment: 'staging', causedBy: 'DeploymentFailed', createdBy: 'agent:incident' });
    const failedEvent = trail.find((entry) => entry.type === 'DeploymentFailed');
    expect(trail.find((entry) => entry.type === 'IncidentOpened').causationId).toBe(
      (await api.request('GET', `/api/deployments/${deploymentId}/history`)).body.items.find((e: any) => e.type === 'DeploymentFailed').eventId,
    );
    expect(failedEvent.actor).toBe('agent:pipeline');
  });

  it('does not deploy a build whose tests fail: the run fails on the gates, with nothing to roll back and no incident', async () => {
    const { featureId } = await approvedFeature(api);
    const run = await startPipeline(api, { featureId, commit: 'd4e5f6a7', environment: 'staging', strategy: 'rolling', version: '0.9.0' });
    await awaitBuildRequest(api, run);
    await record(api, run, 'result', { outcome: 'succeeded', durationMs: 1000 });
    await record(api, run, 'test-runs', { ...passingTests, coverage: 55 });
    await record(api, run, 'security-scans', cleanScan);
    const failed = await awaitRun(api, run, finished, 'the run to fail');

    expect(failed).toMatchObject({ status: 'failed', rolledBack: false });
    expect(failed.failureReason).toContain('covers 55%, below the required 80%');
    expect(failed.deployments).toEqual([{ environment: 'staging', deploymentId: expect.any(String), status: 'pending', percent: 0 }]);
    const deployment = await api.request('GET', `/api/deployments/${failed.deployments[0].deploymentId}`);
    expect(deployment.status).toBe(404);
  });

  it('fails at once when the build fails', async () => {
    const { featureId } = await approvedFeature(api);
    const run = await startPipeline(api, { featureId, commit: 'e5f6a7b8', environment: 'staging', strategy: 'rolling', version: '0.9.1' });
    await awaitBuildRequest(api, run);
    await record(api, run, 'result', { outcome: 'failed', durationMs: 300 });
    const failed = await awaitRun(api, run, finished, 'the run to fail');
    expect(failed).toMatchObject({ status: 'failed', failureReason: 'the build failed', rolledBack: false, checks: { build: { passed: false } } });
  });
});

describe('POST /api/pipelines', () => {
  it('refuses a pipeline for an unknown feature (422) and an invalid body (400, a path per error)', async () => {
    const unknown = await api.request('POST', '/api/pipelines', {
      body: { featureId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', commit: 'abcdef1', environment: 'staging', strategy: 'canary', version: '1.0.0' },
    });
    expect(unknown.status).toBe(422);
    const invalid = await api.request('POST', '/api/pipelines', { body: { featureId: 'nope', commit: 'xyz', environment: 'qa', strategy: 'canary', version: '1' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: any) => e.path).sort()).toEqual(['body.commit', 'body.environment', 'body.featureId', 'body.version']);
  });

  it('answers 201 with the run id, its correlation id and the command result; GET shows the run', async () => {
    const { featureId } = await approvedFeature(api);
    const started = await api.request('POST', '/api/pipelines', {
      body: { featureId, commit: 'f6a7b8c9', environment: 'staging', strategy: 'canary', version: '1.0.0' },
      headers: { 'x-correlation-id': 'release-2024-11' },
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ revision: 0, events: ['PipelineStarted'], correlationId: 'release-2024-11' });
    const doc = await api.request('GET', `/api/pipelines/${started.body.id}?consistentWith=${started.body.position}`);
    expect(doc.status).toBe(200);
    expect(doc.body).toMatchObject({ id: started.body.id, featureId, buildId: started.body.id, status: 'running', bakeTimeMs: 0, startedBy: 'engineer-user' });
    expect(doc.body._state).toBeUndefined();
  });
});
