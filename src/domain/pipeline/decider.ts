import type { Decider } from '../decider.js';
import { DomainConflictError, DomainRuleError, NotUndoableError } from '../errors.js';
import { requireExisting, requireNew } from '../shared/existence.js';
import { requireFact } from '../shared/facts.js';
import type { FeatureState } from '../feature/index.js';
import type { PipelineCommand, PipelineStage } from './commands.js';
import type { PipelineEvent } from './events.js';
import { initialPipelineState, pipelineFields, type ExistingPipelineState, type PipelineState } from './state.js';

const AGGREGATE = 'pipeline';

/** start reads the feature: a pipeline for a feature that is missing or deleted is refused (422). */
export interface PipelineFacts {
  feature?: FeatureState;
}

/**
 * The pipeline aggregate records the run's own progress: what it was asked to do, what it saw
 * recorded, which deployment it started and how the run ended. The builds and deployments
 * themselves live in their own streams; the process manager drives them.
 */
export const pipelineDecider: Decider<PipelineState, PipelineCommand, PipelineEvent, PipelineFacts | undefined> = {
  aggregateType: AGGREGATE,
  initialState: initialPipelineState,
  evolve: evolvePipeline,
  decide: decidePipeline,
};

function decidePipeline(command: PipelineCommand, state: PipelineState, facts: PipelineFacts | undefined): PipelineEvent[] {
  if (command.type === 'start') {
    requireNew(state, AGGREGATE);
    const feature = requireFact(facts?.feature, 'feature', 'pipeline.start');
    if (feature.status !== 'active') throw new DomainRuleError(`the feature ${command.data.featureId} must exist and not be deleted`);
    return [{ type: 'PipelineStarted', data: command.data }];
  }
  const pipeline = requireExisting<ExistingPipelineState>(state, AGGREGATE);
  if (pipeline.status !== 'running') throw new DomainConflictError(`the pipeline has already ${pipeline.status}`);
  switch (command.type) {
    case 'recordCheck':
      if (pipeline.checks[command.data.check] !== null) throw new DomainConflictError(`the ${command.data.check} check is already recorded`);
      return [{ type: 'PipelineCheckRecorded', data: command.data }];
    case 'recordDeploymentStarted':
      requireStage(pipeline, command.data, 'pending');
      return [{ type: 'PipelineDeploymentStarted', data: command.data }];
    case 'recordDeploymentSucceeded':
      requireStage(pipeline, command.data, 'started');
      return [{ type: 'PipelineDeploymentSucceeded', data: command.data }];
    case 'succeed': {
      const unfinished = pipeline.stages.filter((stage) => stage.status !== 'succeeded');
      if (unfinished.length > 0) throw new DomainRuleError(`the ${unfinished.map((stage) => stage.environment).join(', ')} deployment has not succeeded`);
      return [{ type: 'PipelineSucceeded', data: { environment: pipeline.environment, version: pipeline.version } }];
    }
    case 'fail':
      return [{ type: 'PipelineFailed', data: command.data }];
  }
}

function requireStage(pipeline: ExistingPipelineState, given: PipelineStage, status: 'pending' | 'started'): void {
  const stage = pipeline.stages.find((candidate) => candidate.deploymentId === given.deploymentId && candidate.environment === given.environment);
  if (!stage) throw new DomainRuleError(`deployment ${given.deploymentId} to ${given.environment} is not a stage of this pipeline`);
  if (stage.status !== status) throw new DomainConflictError(`the ${given.environment} stage is already ${stage.status}`);
}

function evolvePipeline(state: PipelineState, event: PipelineEvent): PipelineState {
  if (event.type === 'PipelineStarted') {
    const { stages, ...request } = event.data;
    return {
      status: 'running',
      ...request,
      stages: stages.map((stage) => ({ ...stage, status: 'pending' as const })),
      checks: { build: null, test_run: null, security_scan: null },
      failureReason: null,
      rolledBack: false,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'PipelineCheckRecorded':
      return { ...state, checks: { ...state.checks, [event.data.check]: { passed: event.data.passed, detail: event.data.detail } } };
    case 'PipelineDeploymentStarted':
      return withStage(state, event.data.deploymentId, 'started');
    case 'PipelineDeploymentSucceeded':
      return withStage(state, event.data.deploymentId, 'succeeded');
    case 'PipelineSucceeded':
      return { ...state, status: 'succeeded' };
    case 'PipelineFailed':
      return { ...state, status: 'failed', failureReason: event.data.reason, rolledBack: event.data.rolledBack };
  }
}

function withStage(state: ExistingPipelineState, deploymentId: string, status: 'started' | 'succeeded'): ExistingPipelineState {
  return { ...state, stages: state.stages.map((stage) => (stage.deploymentId === deploymentId ? { ...stage, status } : stage)) };
}

/** Every pipeline event sets the run's progress; undo is refused anyway. */
export function touchedFields(_event: PipelineEvent): string[] {
  return [...pipelineFields];
}

/** A run's progress records what happened; undoing it would rewrite history, not correct it. */
export function compensate(events: PipelineEvent[], _stateBefore: PipelineState, _stateNow: PipelineState): PipelineEvent[] {
  const type = events[0]?.type ?? 'the command';
  throw new NotUndoableError(type, `${type} records a pipeline's progress and cannot be undone`);
}
