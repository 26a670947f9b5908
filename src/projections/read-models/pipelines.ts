import { parseStreamName } from '../../events/stream-names.js';
import { readMetadata } from '../../events/metadata.js';
import type { Doc } from '../../readstore/port.js';
import { pipelineDecider } from '../../domain/pipeline/index.js';
import type { PipelineEvent } from '../../domain/pipeline/index.js';
import type { ExistingPipelineState, PipelineState } from '../../domain/pipeline/index.js';
import type { Projection } from '../projection.js';

// The folded state, kept for the next event; fields starting with `_` never leave the API.
const STATE = '_state';

const newestFirst = (field: string) => ({ fields: [[field, 1], ['id', -1]] as Array<[string, 1 | -1]> });

interface DeploymentProgress {
  environment: string;
  deploymentId: string;
  status: string;
  percent: number;
}

const DEPLOYMENT_STATUS: Record<string, string> = {
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
export const pipelinesProjection: Projection = {
  name: 'pipelines',
  version: 1,
  collections: { pipelines: [newestFirst('status'), newestFirst('featureId'), newestFirst('environment')], pipeline_deployments: [] },
  async apply(event, context) {
    const { aggregateType, id } = parseStreamName(event.streamName);
    const meta = readMetadata(event.metadata);
    const at = meta.at ?? event.recordedAt.toISOString();

    if (aggregateType === 'pipeline') {
      if (event.type === 'PipelineStarted') {
        for (const stage of (event.data as { stages: Array<{ deploymentId: string }> }).stages) {
          await context.update('pipeline_deployments', stage.deploymentId, () => ({ id: stage.deploymentId, pipelineId: id }));
        }
      }
      await context.update('pipelines', id, (doc) => {
        const before = doc ? (doc[STATE] as PipelineState) : pipelineDecider.initialState;
        const state = pipelineDecider.evolve(before, { type: event.type, data: event.data } as PipelineEvent);
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
      return;
    }

    if (aggregateType !== 'deployment') return;
    const link = await context.get('pipeline_deployments', id);
    if (!link) return;
    await context.update('pipelines', String(link.pipelineId), (doc) => {
      if (!doc) return doc;
      const deployments = (doc.deployments as DeploymentProgress[]).map((deployment) =>
        deployment.deploymentId === id ? progressed(deployment, event.type, event.data) : deployment,
      );
      return { ...doc, deployments, currentStage: currentStage(doc[STATE] as ExistingPipelineState, deployments), updatedAt: at };
    });
  },
};

function progressed(deployment: DeploymentProgress, type: string, data: unknown): DeploymentProgress {
  if (type === 'TrafficShifted') return { ...deployment, percent: (data as { percent: number }).percent };
  const status = DEPLOYMENT_STATUS[type];
  return status ? { ...deployment, status } : deployment;
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
