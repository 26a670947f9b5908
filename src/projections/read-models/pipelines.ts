import type { Doc } from '../../readstore/port.js';
import { pipelineDecider, type ExistingPipelineState, type PipelineEvent, type PipelineState } from '../../domain/pipeline/index.js';
import type { DeploymentEvent } from '../../domain/deployment/index.js';
import { aggregateEventOf, type TypedEvent } from '../../events/typed-events.js';
import { projectionOf, type ProjectionContext } from '../projection.js';

// The folded state, kept for the next event; fields starting with `_` never leave the API.
const STATE = '_state';

const newestFirst = (field: string) => ({ fields: [[field, 1], ['id', -1]] as Array<[string, 1 | -1]> });

interface DeploymentProgress {
  environment: string;
  deploymentId: string;
  status: string;
  percent: number;
}

type PipelineEventType = PipelineEvent['type'];
type DeploymentEventType = DeploymentEvent['type'];

const DEPLOYMENT_STATUS: Record<Exclude<DeploymentEventType, 'TrafficShifted'>, string> = {
  DeploymentStarted: 'in_progress',
  DeploymentSucceeded: 'succeeded',
  DeploymentFailed: 'failed',
  DeploymentRolledBack: 'rolled_back',
};

/**
 * Pipeline runs: the run's own state (folded with the pipeline decider's evolve), where it is
 * now, and the progress of its deployments. Deployment ids are fixed when the run starts, so the
 * projection links them to the run then and follows their events from the first one.
 */
export const pipelinesProjection = projectionOf({
  name: 'pipelines',
  version: 1,
  collections: { pipelines: [newestFirst('status'), newestFirst('featureId'), newestFirst('environment')], pipeline_deployments: [] },
  handlers: {
    async PipelineStarted(event, context) {
      for (const stage of event.data.stages) {
        await context.update('pipeline_deployments', stage.deploymentId, () => ({ id: stage.deploymentId, pipelineId: event.aggregateId }));
      }
      await foldRun(event, context);
    },
    PipelineCheckRecorded: foldRun,
    PipelineDeploymentStarted: foldRun,
    PipelineDeploymentSucceeded: foldRun,
    PipelineSucceeded: foldRun,
    PipelineFailed: foldRun,
    DeploymentStarted: followDeployment,
    TrafficShifted: followDeployment,
    DeploymentSucceeded: followDeployment,
    DeploymentFailed: followDeployment,
    DeploymentRolledBack: followDeployment,
  },
});

async function foldRun(event: TypedEvent<PipelineEventType>, context: ProjectionContext): Promise<void> {
  const pipelineEvent = aggregateEventOf('pipeline', event);
  if (!pipelineEvent) return;
  const { aggregateId: id, metadata: meta } = event;
  const at = meta.at ?? event.recordedAt.toISOString();
  await context.update('pipelines', id, (doc) => {
    const before = doc ? (doc[STATE] as PipelineState) : pipelineDecider.initialState;
    const state = pipelineDecider.evolve(before, pipelineEvent);
    if (state.status === 'none') return doc;
    const deployments = (doc?.deployments as DeploymentProgress[] | undefined) ??
      state.stages.map((stage) => ({ environment: stage.environment, deploymentId: stage.deploymentId, status: 'pending', percent: 0 }));
    return {
      ...publicFields(state),
      id,
      revision: event.revision,
      [STATE]: state,
      deployments,
      currentStage: currentStage(state, deployments),
      correlationId: doc?.correlationId ?? meta.correlationId ?? null,
      startedAt: doc?.startedAt ?? at,
      startedBy: doc?.startedBy ?? meta.actor ?? null,
      updatedAt: at,
      finishedAt: state.status === 'running' ? null : at,
    };
  });
}

async function followDeployment(event: TypedEvent<DeploymentEventType>, context: ProjectionContext): Promise<void> {
  const id = event.aggregateId;
  const link = await context.get('pipeline_deployments', id);
  if (!link) return;
  const at = event.metadata.at ?? event.recordedAt.toISOString();
  await context.update('pipelines', String(link.pipelineId), (doc) => {
    if (!doc) return doc;
    const deployments = (doc.deployments as DeploymentProgress[]).map((deployment) => (deployment.deploymentId === id ? progressed(deployment, event) : deployment));
    return { ...doc, deployments, currentStage: currentStage(doc[STATE] as ExistingPipelineState, deployments), updatedAt: at };
  });
}

function progressed(deployment: DeploymentProgress, event: TypedEvent<DeploymentEventType>): DeploymentProgress {
  if (event.type === 'TrafficShifted') return { ...deployment, percent: event.data.percent };
  return { ...deployment, status: DEPLOYMENT_STATUS[event.type] };
}

/** The state's fields as the API shows them; stage progress is shown as `deployments`. */
function publicFields(state: ExistingPipelineState): Omit<Doc, 'id'> {
  const { stages: _stages, ...fields } = state;
  return fields;
}

/** A one-word answer to "where is the run now?". */
function currentStage(state: ExistingPipelineState, deployments: DeploymentProgress[]): string {
  if (state.status !== 'running') return state.status;
  const { checks } = state;
  if (checks.build === null) return 'awaiting_build_result';
  if (checks.test_run === null || checks.security_scan === null) return 'awaiting_checks';
  const deploying = deployments.find((deployment) => deployment.status !== 'succeeded');
  return deploying ? `deploying_${deploying.environment}` : 'finishing';
}
