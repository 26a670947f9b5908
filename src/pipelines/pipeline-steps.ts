import type { CommandBus } from '../commands/command-bus.js';
import { RevisionMismatchError } from '../commands/errors.js';
import { streamName } from '../events/stream-names.js';
import { requestBuildSchema } from '../domain/build/index.js';
import { failDeploymentSchema, startDeploymentSchema } from '../domain/deployment/index.js';
import { DomainConflictError, DomainRuleError } from '../domain/errors.js';
import type { EventStore, StoredEvent } from '../eventstore/port.js';
import type { AgentActor } from '../agents/agent-actor.js';
import { pipelineCommandSchema } from '../domain/pipeline/index.js';
import type { PipelineStep } from './next-step.js';
import type { PipelineCommands } from './pipeline-commands.js';
import type { PipelineView } from './pipeline-view.js';
import type { ExistingPipelineState } from '../domain/pipeline/index.js';

/** After a step: look again (`continue`), or stop until something else happens (`blocked`). */
export type StepOutcome = 'continue' | 'blocked';

export interface StepDeps {
  events: EventStore;
  commands: CommandBus;
  pipelines: PipelineCommands;
  actor: AgentActor;
}

type ActionStep = Exclude<PipelineStep, { kind: 'wait' } | { kind: 'finished' }>;

const REASON_LIMIT = 2000;

/**
 * Performs one step through the command bus, as the pipeline's agent, under the run's
 * correlation id. Each command is guarded so that repeating it cannot act twice: creations use
 * ids fixed at the start (a repeat finds the aggregate there), and every other command carries
 * the revision the step was decided on (a repeat finds the stream moved). Either refusal just
 * means "look again".
 */
export async function performStep(deps: StepDeps, view: PipelineView, step: ActionStep): Promise<StepOutcome> {
  const pipeline = view.pipeline.state as ExistingPipelineState;
  const context = (cause: StoredEvent, key: string, expectedRevision?: number) => ({
    ...deps.actor.context(cause, `${view.id}:${key}`, expectedRevision),
    correlationId: view.correlationId,
  });
  const recordOnPipeline = (cause: StoredEvent, key: string, command: unknown) =>
    lookAgainOnRefusal(() => deps.pipelines.execute(view.id, pipelineCommandSchema.parse(command), context(cause, key, view.pipeline.revision)));

  switch (step.kind) {
    case 'request_build': {
      const data = requestBuildSchema.parse({ featureId: pipeline.featureId, commit: pipeline.commit });
      try {
        await deps.commands.dispatch({ aggregateType: 'build', id: pipeline.buildId, command: { type: 'request', data }, context: context(step.cause, 'request_build') });
      } catch (error) {
        if (error instanceof DomainRuleError) return failPipeline(deps, view, step.cause, error.message);
        if (!(error instanceof DomainConflictError)) throw error;
      }
      return 'continue';
    }
    case 'record_check':
      return recordOnPipeline(step.cause, `check:${step.check}`, { type: 'recordCheck', data: { check: step.check, passed: step.passed, detail: step.detail } });
    case 'start_deployment': {
      const { environment, deploymentId } = step.stage;
      const data = startDeploymentSchema.parse({ buildId: pipeline.buildId, environment, strategy: pipeline.strategy, version: pipeline.version });
      try {
        await deps.commands.dispatch({ aggregateType: 'deployment', id: deploymentId, command: { type: 'start', data }, context: context(step.cause, `start:${deploymentId}`) });
        return 'continue';
      } catch (error) {
        if (error instanceof DomainRuleError) return failPipeline(deps, view, step.cause, error.message);
        if (!(error instanceof DomainConflictError)) throw error;
        // Ours already started (a repeat), or another deployment holds the environment: wait for it.
        const ours = await deps.events.readStream(streamName('deployment', deploymentId), { maxCount: 1 });
        return ours.length > 0 ? 'continue' : 'blocked';
      }
    }
    case 'record_deployment_started':
      return recordOnPipeline(step.cause, `started:${step.stage.deploymentId}`, { type: 'recordDeploymentStarted', data: stageOf(step.stage) });
    case 'advance':
      return lookAgainOnRefusal(() =>
        deps.commands.dispatch({
          aggregateType: 'deployment',
          id: step.stage.deploymentId,
          command: { type: 'advance', data: {} },
          context: context(step.cause, `advance:${step.stage.deploymentId}:${step.expectedRevision}`, step.expectedRevision),
        }),
      );
    case 'fail_deployment':
      return lookAgainOnRefusal(() =>
        deps.commands.dispatch({
          aggregateType: 'deployment',
          id: step.stage.deploymentId,
          command: { type: 'fail', data: failDeploymentSchema.parse({ reason: step.reason.slice(0, REASON_LIMIT) }) },
          context: context(step.cause, `fail:${step.stage.deploymentId}:${step.expectedRevision}`, step.expectedRevision),
        }),
      );
    case 'record_deployment_succeeded':
      return recordOnPipeline(step.cause, `succeeded:${step.stage.deploymentId}`, { type: 'recordDeploymentSucceeded', data: stageOf(step.stage) });
    case 'succeed':
      return recordOnPipeline(step.cause, 'succeed', { type: 'succeed', data: {} });
    case 'fail':
      return failPipeline(deps, view, step.cause, step.reason, step.deploymentId, step.rolledBack);
  }
}

function failPipeline(deps: StepDeps, view: PipelineView, cause: StoredEvent, reason: string, deploymentId: string | null = null, rolledBack = false): Promise<StepOutcome> {
  const command = pipelineCommandSchema.parse({ type: 'fail', data: { reason: reason.slice(0, REASON_LIMIT), deploymentId, rolledBack } });
  const context = { ...deps.actor.context(cause, `${view.id}:fail`, view.pipeline.revision), correlationId: view.correlationId };
  return lookAgainOnRefusal(() => deps.pipelines.execute(view.id, command, context));
}

/** A refusal means the state moved on since the step was decided: decide again on fresh state. */
async function lookAgainOnRefusal(command: () => Promise<unknown>): Promise<StepOutcome> {
  try {
    await command();
  } catch (error) {
    if (!(error instanceof RevisionMismatchError || error instanceof DomainConflictError || error instanceof DomainRuleError)) throw error;
  }
  return 'continue';
}

function stageOf(stage: { environment: string; deploymentId: string }) {
  return { environment: stage.environment, deploymentId: stage.deploymentId };
}
