import type { EventStore, StoredEvent } from '../eventstore/port.js';
import { loadAggregate } from '../commands/load-aggregate.js';
import { readMetadata } from '../events/metadata.js';
import { buildDecider, type BuildState } from '../domain/build/index.js';
import { deploymentDecider, type DeploymentState } from '../domain/deployment/index.js';
import { pipelineDecider } from '../domain/pipeline/index.js';
import type { PipelineState } from '../domain/pipeline/index.js';

export interface StreamView<State> {
  state: State;
  /** -1 when the stream does not exist. */
  revision: number;
  events: StoredEvent[];
}

/** Everything the next step depends on, read from the event store (never from memory). */
export interface PipelineView {
  id: string;
  pipeline: StreamView<PipelineState>;
  /** The correlation id of the request that started the run: every step carries it. */
  correlationId: string;
  build: StreamView<BuildState>;
  /** By deployment id, one per stage. */
  deployments: Map<string, StreamView<DeploymentState>>;
}

export async function loadPipelineView(events: EventStore, id: string): Promise<PipelineView> {
  const pipeline = await loadAggregate(events, pipelineDecider, id);
  const first = pipeline.events[0];
  const correlationId = (first && readMetadata(first.metadata).correlationId) ?? id;
  const empty = { state: { status: 'none' as const }, revision: -1, events: [] };
  if (pipeline.state.status === 'none') return { id, pipeline, correlationId, build: empty, deployments: new Map() };
  const build = await loadAggregate(events, buildDecider, pipeline.state.buildId);
  const deployments = new Map<string, StreamView<DeploymentState>>();
  for (const stage of pipeline.state.stages) {
    deployments.set(stage.deploymentId, await loadAggregate(events, deploymentDecider, stage.deploymentId));
  }
  return { id, pipeline, correlationId, build, deployments };
}
