import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { replay, type Decider, type DomainEvent } from '../../src/domain/decider.js';
import { buildDecider } from '../../src/domain/build/index.js';
import { deploymentDecider } from '../../src/domain/deployment/index.js';
import type { StoredEvent } from '../../src/eventstore/port.js';
import { pipelineDecider } from '../../src/domain/pipeline/index.js';
import { nextStep } from '../../src/pipelines/next-step.js';
import type { PipelineView, StreamView } from '../../src/pipelines/pipeline-view.js';

// The process manager's policy, as a table of situations and the one step each calls for.

const PIPELINE = '01JB0000000000000000000001';
const STAGING = '01JS0000000000000000000001';
const PRODUCTION = '01JP0000000000000000000001';
const T0 = Date.parse('2026-03-01T10:00:00Z');

let position = 0n;
/** A stream as the event store would return it: each event stamped a second after the last. */
function stream<State>(decider: Pick<Decider<State, never, any, never>, 'initialState' | 'evolve'>, name: string, events: DomainEvent[]): StreamView<State> {
  const stored: StoredEvent[] = events.map((event, revision) => {
    position += 1n;
    const at = new Date(T0 + Number(position) * 1000);
    return { id: randomUUID(), streamName: name, type: event.type, revision, position, data: event.data, metadata: { at: at.toISOString() }, recordedAt: at };
  });
  return { state: replay(decider as never, events as never), revision: events.length - 1, events: stored };
}

const started = (environment: 'staging' | 'production', bakeTimeMs = 0) => ({
  type: 'PipelineStarted',
  data: {
    featureId: 'F', commit: 'abc1234', environment, strategy: 'blue_green', version: '1.0.0', bakeTimeMs, buildId: PIPELINE,
    stages: environment === 'production'
      ? [{ environment: 'staging', deploymentId: STAGING }, { environment: 'production', deploymentId: PRODUCTION }]
      : [{ environment: 'staging', deploymentId: STAGING }],
  },
});
const check = (name: string, passed = true) => ({ type: 'PipelineCheckRecorded', data: { check: name, passed, detail: name } });
const allChecks = [check('build'), check('test_run'), check('security_scan')];
const requested = { type: 'BuildRequested', data: { featureId: 'F', commit: 'abc1234' } };
const succeeded = { type: 'BuildSucceeded', data: { featureId: 'F', commit: 'abc1234', durationMs: 900 } };
const greenTests = { type: 'TestRunRecorded', data: { passed: 50, failed: 0, coverage: 92 } };
const redTests = { type: 'TestRunRecorded', data: { passed: 48, failed: 2, coverage: 92 } };
const cleanScan = { type: 'SecurityScanRecorded', data: { findings: [] } };
const greenBuild = [requested, succeeded, greenTests, cleanScan];
const deploymentStart = (environment: string) => ({ type: 'DeploymentStarted', data: { buildId: PIPELINE, featureId: 'F', environment, strategy: 'blue_green', version: '1.0.0' } });
const shift = (step: number, percent: number) => ({ type: 'TrafficShifted', data: { step, percent } });
const done = (environment: string) => [shift(1, 10), shift(2, 50), shift(3, 100), { type: 'DeploymentSucceeded', data: { buildId: PIPELINE, environment, version: '1.0.0' } }];

function view(pipeline: DomainEvent[], build: DomainEvent[], deployments: Record<string, DomainEvent[]> = {}): PipelineView {
  return {
    id: PIPELINE,
    correlationId: 'run-1',
    pipeline: stream(pipelineDecider, `pipeline-${PIPELINE}`, pipeline),
    build: stream(buildDecider, `build-${PIPELINE}`, build),
    deployments: new Map(Object.entries(deployments).map(([id, events]) => [id, stream(deploymentDecider, `deployment-${id}`, events)])),
  };
}

const later = T0 + 3_600_000;

describe('the next step of a run', () => {
  it('requests the build first, caused by the start', () => {
    const v = view([started('staging')], []);
    expect(nextStep(v, later)).toMatchObject({ kind: 'request_build', cause: { id: v.pipeline.events[0]!.id } });
  });

  it('waits for the build result, then for a test run and a scan', () => {
    expect(nextStep(view([started('staging')], [requested]), later)).toMatchObject({ kind: 'wait', until: null, reason: 'waiting for the build result' });
    expect(nextStep(view([started('staging'), check('build')], [requested, succeeded]), later)).toMatchObject({ kind: 'wait', reason: 'waiting for a test run' });
  });

  it('notes each recorded result once, caused by the event that recorded it', () => {
    const v = view([started('staging')], [requested, succeeded]);
    expect(nextStep(v, later)).toMatchObject({ kind: 'record_check', check: 'build', passed: true, cause: { id: v.build.events[1]!.id } });
    const failing = view([started('staging'), check('build')], [requested, succeeded, redTests]);
    expect(nextStep(failing, later)).toMatchObject({ kind: 'record_check', check: 'test_run', passed: false, detail: '48 passed, 2 failed, 92% coverage' });
  });

  it('fails without deploying when the build failed', () => {
    const v = view([started('staging'), check('build', false)], [requested, { type: 'BuildFailed', data: succeeded.data }]);
    expect(nextStep(v, later)).toMatchObject({ kind: 'fail', reason: 'the build failed', deploymentId: null, rolledBack: false });
  });

  it('fails without deploying when the gates are not met, listing them', () => {
    const v = view([started('staging'), ...allChecks], [requested, succeeded, redTests, cleanScan]);
    expect(nextStep(v, later)).toMatchObject({ kind: 'fail', deploymentId: null, rolledBack: false, reason: expect.stringContaining('the latest test run has 2 failed tests') });
  });

  it('starts the staging deployment once the gates are met, and records that it did', () => {
    expect(nextStep(view([started('production'), ...allChecks], greenBuild), later)).toMatchObject({ kind: 'start_deployment', stage: { environment: 'staging', deploymentId: STAGING } });
    const v = view([started('production'), ...allChecks], greenBuild, { [STAGING]: [deploymentStart('staging')] });
    expect(nextStep(v, later)).toMatchObject({ kind: 'record_deployment_started', stage: { deploymentId: STAGING } });
  });

  it('advances step by step, guarded by the revision it saw, once the bake time of the last step has passed', () => {
    const stagingRecorded = { type: 'PipelineDeploymentStarted', data: { environment: 'staging', deploymentId: STAGING } };
    const v = view([started('staging', 60_000), ...allChecks, stagingRecorded], greenBuild, { [STAGING]: [deploymentStart('staging'), shift(1, 10)] });
    const lastShiftAt = v.deployments.get(STAGING)!.events[1]!.recordedAt.getTime();
    expect(nextStep(v, lastShiftAt + 59_999)).toEqual({ kind: 'wait', until: lastShiftAt + 60_000, reason: 'watching 10% of staging traffic' });
    expect(nextStep(v, lastShiftAt + 60_000)).toMatchObject({ kind: 'advance', expectedRevision: 1, cause: { id: v.deployments.get(STAGING)!.events[1]!.id } });
  });

  it('fails a rollout whose build turns unhealthy (a new failing test run), however long the bake time', () => {
    const stagingRecorded = { type: 'PipelineDeploymentStarted', data: { environment: 'staging', deploymentId: STAGING } };
    const v = view([started('staging', 600_000), ...allChecks, stagingRecorded], [...greenBuild, redTests], { [STAGING]: [deploymentStart('staging')] });
    expect(nextStep(v, T0)).toMatchObject({ kind: 'fail_deployment', expectedRevision: 0, reason: expect.stringContaining('health check failed during the staging rollout') });
  });

  it('goes on to production after staging succeeded, and finishes when both have', () => {
    const recorded = (environment: string, deploymentId: string, type: string) => ({ type, data: { environment, deploymentId } });
    const stagingDone = [recorded('staging', STAGING, 'PipelineDeploymentStarted'), recorded('staging', STAGING, 'PipelineDeploymentSucceeded')];
    const deployed = { [STAGING]: [deploymentStart('staging'), ...done('staging')] };
    expect(nextStep(view([started('production'), ...allChecks, stagingDone[0]!], greenBuild, deployed), later)).toMatchObject({ kind: 'record_deployment_succeeded', stage: { environment: 'staging' } });
    expect(nextStep(view([started('production'), ...allChecks, ...stagingDone], greenBuild, deployed), later)).toMatchObject({ kind: 'start_deployment', stage: { environment: 'production' } });
    const productionDone = [recorded('production', PRODUCTION, 'PipelineDeploymentStarted'), recorded('production', PRODUCTION, 'PipelineDeploymentSucceeded')];
    const both = { ...deployed, [PRODUCTION]: [deploymentStart('production'), ...done('production')] };
    expect(nextStep(view([started('production'), ...allChecks, ...stagingDone, ...productionDone], greenBuild, both), later)).toMatchObject({ kind: 'succeed' });
  });

  it('fails, rolled back, when someone fails or rolls back its deployment', () => {
    const stagingRecorded = { type: 'PipelineDeploymentStarted', data: { environment: 'staging', deploymentId: STAGING } };
    const failed = [deploymentStart('staging'), { type: 'DeploymentFailed', data: { environment: 'staging', version: '1.0.0', reason: 'pager went off' } }, { type: 'DeploymentRolledBack', data: { environment: 'staging', version: '1.0.0', reason: 'pager went off' } }];
    const v = view([started('staging'), ...allChecks, stagingRecorded], greenBuild, { [STAGING]: failed });
    expect(nextStep(v, later)).toMatchObject({ kind: 'fail', reason: 'pager went off', deploymentId: STAGING, rolledBack: true });
  });

  it('has nothing left to do once the run has finished, or for a build outside any pipeline', () => {
    const failed = { type: 'PipelineFailed', data: { reason: 'x', deploymentId: null, rolledBack: false } };
    expect(nextStep(view([started('staging'), failed], [requested]), later)).toEqual({ kind: 'finished' });
    expect(nextStep(view([], [requested]), later)).toEqual({ kind: 'finished' });
  });
});
