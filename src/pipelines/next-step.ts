import type { StoredEvent } from '../eventstore/port.js';
import { eventTime } from '../agents/agent-actor.js';
import type { ExistingBuildState } from '../domain/build/index.js';
import { MINIMUM_COVERAGE, unmetGates } from '../domain/deployment/gates.js';
import type { ExistingDeploymentState } from '../domain/deployment/index.js';
import type { PipelineCheck } from '../domain/pipeline/index.js';
import type { PipelineView } from './pipeline-view.js';
import type { ExistingPipelineState } from '../domain/pipeline/index.js';

type Stage = ExistingPipelineState['stages'][number];

/** What the pipeline does next; `cause` is the event the step reacts to (its causationId). */
export type PipelineStep =
  | { kind: 'request_build'; cause: StoredEvent }
  | { kind: 'record_check'; check: PipelineCheck; passed: boolean; detail: string; cause: StoredEvent }
  | { kind: 'start_deployment'; stage: Stage; cause: StoredEvent }
  | { kind: 'record_deployment_started'; stage: Stage; cause: StoredEvent }
  | { kind: 'advance'; stage: Stage; expectedRevision: number; cause: StoredEvent }
  | { kind: 'fail_deployment'; stage: Stage; reason: string; expectedRevision: number; cause: StoredEvent }
  | { kind: 'record_deployment_succeeded'; stage: Stage; cause: StoredEvent }
  | { kind: 'succeed'; cause: StoredEvent }
  | { kind: 'fail'; reason: string; deploymentId: string | null; rolledBack: boolean; cause: StoredEvent }
  /** Nothing to do until an event arrives, or until `until` (epoch ms) for a traffic step's bake time. */
  | { kind: 'wait'; until: number | null; reason: string }
  | { kind: 'finished' };

/**
 * The process manager's whole policy as a pure function of the log: given the pipeline, its
 * build and its deployments as they stand, the one next step. Because it looks at the state and
 * not at which event arrived, running it again after a crash, or for an old event, picks the
 * same step or a later one, never a step already taken.
 */
export function nextStep(view: PipelineView, now: number): PipelineStep {
  const pipeline = view.pipeline.state;
  if (pipeline.status !== 'running') return { kind: 'finished' };
  const started = view.pipeline.events[0]!;

  const build = view.build.state;
  if (build.status === 'none') return { kind: 'request_build', cause: started };

  const check = uncheckedResult(pipeline, build, view.build.events);
  if (check) return check;
  const buildEvent = view.build.events.at(-1)!;
  if (build.status === 'failed') return { kind: 'fail', reason: 'the build failed', deploymentId: null, rolledBack: false, cause: buildEvent };
  if (build.status === 'requested') return { kind: 'wait', until: null, reason: 'waiting for the build result' };
  if (build.latestTestRun === null) return { kind: 'wait', until: null, reason: 'waiting for a test run' };
  if (build.latestSecurityScan === null) return { kind: 'wait', until: null, reason: 'waiting for a security scan' };

  let previousStageEnd = buildEvent;
  for (const stage of pipeline.stages) {
    const deployment = view.deployments.get(stage.deploymentId);
    if (!deployment || deployment.state.status === 'none') {
      const unmet = unmetGates(stage.environment, { build, stagingSucceededForBuild: stagingSucceeded(view, pipeline) });
      if (unmet.length > 0) {
        return { kind: 'fail', reason: `the ${stage.environment} deployment gates are not met: ${unmet.join('; ')}`, deploymentId: null, rolledBack: false, cause: latest(buildEvent, previousStageEnd) };
      }
      return { kind: 'start_deployment', stage, cause: latest(buildEvent, previousStageEnd) };
    }
    const state = deployment.state as ExistingDeploymentState;
    const last = deployment.events.at(-1)!;
    if (stage.status === 'pending') return { kind: 'record_deployment_started', stage, cause: deployment.events[0]! };
    switch (state.status) {
      case 'in_progress': {
        const unhealthy = healthProblems(build);
        if (unhealthy.length > 0) {
          const reason = `health check failed during the ${stage.environment} rollout: ${unhealthy.join('; ')}`;
          return { kind: 'fail_deployment', stage, reason, expectedRevision: deployment.revision, cause: latest(buildEvent, last) };
        }
        const due = eventTime(last).getTime() + pipeline.bakeTimeMs;
        if (now < due) return { kind: 'wait', until: due, reason: `watching ${state.percent}% of ${stage.environment} traffic` };
        return { kind: 'advance', stage, expectedRevision: deployment.revision, cause: last };
      }
      case 'succeeded':
        if (stage.status !== 'succeeded') return { kind: 'record_deployment_succeeded', stage, cause: last };
        previousStageEnd = last;
        continue;
      case 'failed':
      case 'rolled_back': {
        const reason = state.failureReason ?? state.rollbackReason ?? `the ${stage.environment} deployment was rolled back`;
        return { kind: 'fail', reason, deploymentId: stage.deploymentId, rolledBack: true, cause: last };
      }
    }
  }
  return { kind: 'succeed', cause: previousStageEnd };
}

/** A result the external agents recorded that the pipeline has not noted yet. */
function uncheckedResult(pipeline: ExistingPipelineState, build: ExistingBuildState, events: StoredEvent[]): PipelineStep | null {
  const lastOf = (type: string) => [...events].reverse().find((event) => event.type === type);
  if (pipeline.checks.build === null && build.status !== 'requested') {
    const cause = lastOf(build.status === 'succeeded' ? 'BuildSucceeded' : 'BuildFailed')!;
    return { kind: 'record_check', check: 'build', passed: build.status === 'succeeded', detail: `build ${build.status} in ${build.durationMs} ms`, cause };
  }
  const run = build.latestTestRun;
  if (pipeline.checks.test_run === null && run !== null) {
    const passed = run.failed === 0 && run.coverage >= MINIMUM_COVERAGE;
    const detail = `${run.passed} passed, ${run.failed} failed, ${run.coverage}% coverage`;
    return { kind: 'record_check', check: 'test_run', passed, detail, cause: lastOf('TestRunRecorded')! };
  }
  const scan = build.latestSecurityScan;
  if (pipeline.checks.security_scan === null && scan !== null) {
    const serious = scan.findings.filter((finding) => finding.severity === 'high' || finding.severity === 'critical').length;
    const detail = `${scan.findings.length} finding(s), ${serious} high or critical`;
    return { kind: 'record_check', check: 'security_scan', passed: serious === 0, detail, cause: lastOf('SecurityScanRecorded')! };
  }
  return null;
}

/** The gates a running deployment must keep meeting: a new failing test run or serious finding stops it. */
function healthProblems(build: ExistingBuildState): string[] {
  return unmetGates('staging', { build, stagingSucceededForBuild: true });
}

function stagingSucceeded(view: PipelineView, pipeline: ExistingPipelineState): boolean {
  return pipeline.stages.some((stage) => stage.environment === 'staging' && view.deployments.get(stage.deploymentId)?.state.status === 'succeeded');
}

function latest(a: StoredEvent, b: StoredEvent): StoredEvent {
  return a.position >= b.position ? a : b;
}
