import { describe, expect, it } from 'vitest';
import { DomainConflictError, DomainRuleError, NotUndoableError } from '../../src/domain/errors.js';
import { pipelineCommandSchema, type PipelineCommand } from '../../src/domain/pipeline/index.js';
import { compensate, pipelineDecider } from '../../src/domain/pipeline/index.js';
import { pipelineEventSchema, type PipelineEvent } from '../../src/domain/pipeline/index.js';
import { scenario } from '../domain/given-when-then.js';

const given = scenario(pipelineDecider, { commands: pipelineCommandSchema, events: pipelineEventSchema });

const FEATURE = '01JF0000000000000000000001';
const BUILD = '01JB0000000000000000000001';
const STAGING = '01JS0000000000000000000001';
const PRODUCTION = '01JP0000000000000000000001';
const activeFeature = { feature: { status: 'active', requirementId: 'R', name: 'Login', complexityPoints: 3, developer: 'bo' } } as const;

const request = { featureId: FEATURE, commit: 'abc1234', environment: 'production', strategy: 'canary', version: '1.0.0', bakeTimeMs: 0 } as const;
const stages = [{ environment: 'staging', deploymentId: STAGING }, { environment: 'production', deploymentId: PRODUCTION }] as const;
const start: PipelineCommand = { type: 'start', data: { ...request, buildId: BUILD, stages: [...stages] } };
const started = { type: 'PipelineStarted', data: { ...request, buildId: BUILD, stages: [...stages] } } satisfies PipelineEvent;
const stagingStarted = { type: 'PipelineDeploymentStarted', data: stages[0] } satisfies PipelineEvent;
const stagingSucceeded = { type: 'PipelineDeploymentSucceeded', data: stages[0] } satisfies PipelineEvent;
const productionStarted = { type: 'PipelineDeploymentStarted', data: stages[1] } satisfies PipelineEvent;
const productionSucceeded = { type: 'PipelineDeploymentSucceeded', data: stages[1] } satisfies PipelineEvent;

describe('pipeline: start', () => {
  it('given nothing, when started for an active feature, then PipelineStarted records the request and the ids it will use', () => {
    const state = given([]).when(start, activeFeature).then([started]);
    expect(state).toMatchObject({ status: 'running', buildId: BUILD, stages: [{ ...stages[0], status: 'pending' }, { ...stages[1], status: 'pending' }] });
  });

  it('refuses a feature that is missing or deleted (422)', () => {
    given([]).when(start, { feature: { status: 'none' } }).thenThrows(DomainRuleError, /must exist and not be deleted/);
    given([]).when(start, { feature: { ...activeFeature.feature, status: 'deleted' } }).thenThrows(DomainRuleError, /must exist/);
  });

  it('starts once', () => {
    given([started]).when(start, activeFeature).thenThrows(DomainConflictError, /already exists/);
  });
});

describe('pipeline: progress', () => {
  it('records each check once', () => {
    const check: PipelineCommand = { type: 'recordCheck', data: { check: 'test_run', passed: true, detail: '10 passed' } };
    const state = given([started]).when(check).then([{ type: 'PipelineCheckRecorded', data: { check: 'test_run', passed: true, detail: '10 passed' } }]);
    expect(state).toMatchObject({ checks: { build: null, test_run: { passed: true, detail: '10 passed' }, security_scan: null } });
    given([started, { type: 'PipelineCheckRecorded', data: { check: 'test_run', passed: true, detail: '10 passed' } }]).when(check).thenThrows(DomainConflictError, /already recorded/);
  });

  it('records a stage started, then succeeded, each once and only for its own deployments', () => {
    given([started]).when({ type: 'recordDeploymentStarted', data: stages[0] }).then([stagingStarted]);
    given([started, stagingStarted]).when({ type: 'recordDeploymentStarted', data: stages[0] }).thenThrows(DomainConflictError, /already started/);
    given([started]).when({ type: 'recordDeploymentSucceeded', data: stages[0] }).thenThrows(DomainConflictError, /already pending/);
    given([started]).when({ type: 'recordDeploymentStarted', data: { environment: 'staging', deploymentId: '01JX0000000000000000000001' } }).thenThrows(DomainRuleError, /not a stage/);
    const state = given([started, stagingStarted]).when({ type: 'recordDeploymentSucceeded', data: stages[0] }).then([stagingSucceeded]);
    expect(state).toMatchObject({ stages: [{ status: 'succeeded' }, { status: 'pending' }] });
  });

  it('succeeds only once every stage has succeeded', () => {
    given([started, stagingStarted, stagingSucceeded]).when({ type: 'succeed', data: {} }).thenThrows(DomainRuleError, /production deployment has not succeeded/);
    const state = given([started, stagingStarted, stagingSucceeded, productionStarted, productionSucceeded])
      .when({ type: 'succeed', data: {} })
      .then([{ type: 'PipelineSucceeded', data: { environment: 'production', version: '1.0.0' } }]);
    expect(state.status).toBe('succeeded');
  });

  it('fails with its reason, and a finished run takes no further step', () => {
    const failed = { type: 'PipelineFailed', data: { reason: 'health check failed', deploymentId: STAGING, rolledBack: true } } satisfies PipelineEvent;
    const state = given([started, stagingStarted]).when({ type: 'fail', data: failed.data }).then([failed]);
    expect(state).toMatchObject({ status: 'failed', failureReason: 'health check failed', rolledBack: true });
    given([started, stagingStarted, failed]).when({ type: 'recordDeploymentSucceeded', data: stages[0] }).thenThrows(DomainConflictError, /already failed/);
  });
});

describe('pipeline: undo', () => {
  it('is refused: a run records what happened', () => {
    expect(() => compensate([started], { status: 'none' }, { status: 'none' })).toThrow(NotUndoableError);
  });
});
