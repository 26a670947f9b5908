import type { EventStore } from '../../eventstore/port.js';
import { buildDecider } from '../../domain/build/index.js';
import { deploymentDecider, type DeploymentFacts, type DeploymentState } from '../../domain/deployment/index.js';
import { loadAggregate } from '../load-aggregate.js';
import { parseStreamName } from '../stream-names.js';

const PAGE = 1000;

/**
 * The deployment gates' facts, read from the event store: the build's state, and every
 * deployment's state folded from the `deployment-` streams of the global log.
 */
export async function loadDeploymentStartFacts(
  events: EventStore,
  command: { buildId: string; environment: string },
): Promise<DeploymentFacts> {
  const build = (await loadAggregate(events, buildDecider, command.buildId)).state;
  const deployments = await allDeployments(events);
  let stagingSucceededForBuild = false;
  const inProgressInEnvironment: string[] = [];
  for (const [id, state] of deployments) {
    if (state.status === 'none') continue;
    if (state.buildId === command.buildId && state.environment === 'staging' && state.status === 'succeeded') stagingSucceededForBuild = true;
    if (state.environment === command.environment && state.status === 'in_progress') inProgressInEnvironment.push(id);
  }
  return { build, stagingSucceededForBuild, inProgressInEnvironment };
}

async function allDeployments(events: EventStore): Promise<Map<string, DeploymentState>> {
  const states = new Map<string, DeploymentState>();
  let after: bigint | null = null;
  for (;;) {
    const page = await events.readAll({ after, maxCount: PAGE, streamPrefix: 'deployment-' });
    for (const event of page) {
      const { id } = parseStreamName(event.streamName);
      const state = states.get(id) ?? deploymentDecider.initialState;
      states.set(id, deploymentDecider.evolve(state, { type: event.type, data: event.data } as never));
    }
    if (page.length < PAGE) return states;
    after = page[page.length - 1]!.position;
  }
}
