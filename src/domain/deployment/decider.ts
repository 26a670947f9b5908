import type { BuildState } from '../build/state.js';
import type { Decider } from '../decider.js';
import { DomainConflictError, DomainRuleError } from '../errors.js';
import { requireExisting, requireNew } from '../shared/existence.js';
import { requireFact } from '../shared/facts.js';
import type { DeploymentCommand, StartDeployment } from './commands.js';
import type { DeploymentEvent } from './events.js';
import { unmetGates } from './gates.js';
import { initialDeploymentState, type DeploymentState, type ExistingDeploymentState } from './state.js';
import { strategyFor } from './strategies/index.js';

const AGGREGATE = 'deployment';

/** start reads the build, its staging record, and what is already deploying to the environment. */
export interface DeploymentFacts {
  build?: BuildState;
  stagingSucceededForBuild?: boolean;
  /** Ids of the deployments in progress in the command's environment. */
  inProgressInEnvironment?: string[];
}

export const deploymentDecider: Decider<DeploymentState, DeploymentCommand, DeploymentEvent, DeploymentFacts | undefined> = {
  aggregateType: AGGREGATE,
  initialState: initialDeploymentState,
  evolve: evolveDeployment,
  decide: decideDeployment,
};

function decideDeployment(
  command: DeploymentCommand,
  state: DeploymentState,
  facts: DeploymentFacts | undefined,
): DeploymentEvent[] {
  if (command.type === 'start') {
    requireNew(state, AGGREGATE);
    return [start(command.data, facts)];
  }
  const deployment = requireExisting<ExistingDeploymentState>(state, AGGREGATE);
  const { environment, version } = deployment;
  switch (command.type) {
    case 'advance':
      requireInProgress(deployment, 'advance');
      return advance(deployment);
    case 'fail':
      requireInProgress(deployment, 'fail');
      return [
        { type: 'DeploymentFailed', data: { environment, version, reason: command.data.reason } },
        { type: 'DeploymentRolledBack', data: { environment, version, reason: command.data.reason } },
      ];
    case 'rollback':
      if (deployment.status === 'succeeded') {
        const data = { environment, version, reason: command.data.reason, restoresPreviousVersion: true as const };
        return [{ type: 'DeploymentRolledBack', data }];
      }
      requireInProgress(deployment, 'be rolled back');
      return [{ type: 'DeploymentRolledBack', data: { environment, version, reason: command.data.reason } }];
  }
}

function start(command: StartDeployment, facts: DeploymentFacts | undefined): DeploymentEvent {
  const build = requireFact(facts?.build, 'build', 'deployment.start');
  const stagingSucceededForBuild = requireFact(facts?.stagingSucceededForBuild, 'stagingSucceededForBuild', 'deployment.start');
  const inProgress = requireFact(facts?.inProgressInEnvironment, 'inProgressInEnvironment', 'deployment.start');

  const unmet = unmetGates(command.environment, { build, stagingSucceededForBuild });
  // A missing build is always an unmet gate; testing it again lets the compiler know it exists.
  if (unmet.length > 0 || build.status === 'none') {
    throw new DomainRuleError(`the deployment gates are not met: ${unmet.join('; ')}`, unmet);
  }
  // Checked after the gates: a refusal that waiting cannot fix is the more useful answer.
  if (inProgress.length > 0) {
    throw new DomainConflictError(`deployment ${inProgress.join(', ')} is already in progress in ${command.environment}`);
  }
  return { type: 'DeploymentStarted', data: { ...command, featureId: build.featureId } };
}

/** The strategy's next traffic shift; the one that reaches 100% also completes the deployment. */
function advance(deployment: ExistingDeploymentState): DeploymentEvent[] {
  const shift = strategyFor(deployment.strategy).nextShift(deployment.step);
  if (shift === null) throw new Error(`deployment in progress has no traffic step after ${deployment.step}`);
  const shifted: DeploymentEvent = { type: 'TrafficShifted', data: shift };
  if (shift.percent < 100) return [shifted];
  const { buildId, environment, version } = deployment;
  return [shifted, { type: 'DeploymentSucceeded', data: { buildId, environment, version } }];
}

export function requireInProgress(deployment: ExistingDeploymentState, action: string): void {
  if (deployment.status !== 'in_progress') {
    throw new DomainRuleError(`only a deployment in progress can ${action}; this one is ${deployment.status}`);
  }
}

function evolveDeployment(state: DeploymentState, event: DeploymentEvent): DeploymentState {
  if (event.type === 'DeploymentStarted') {
    return { status: 'in_progress', ...event.data, step: 0, percent: 0, failureReason: null, rollbackReason: null };
  }
  // Any other event before the start cannot come from this decider: leave the state alone.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'TrafficShifted':
      return { ...state, step: event.data.step, percent: event.data.percent };
    case 'DeploymentSucceeded':
      return { ...state, status: 'succeeded' };
    case 'DeploymentFailed':
      return { ...state, status: 'failed', failureReason: event.data.reason };
    case 'DeploymentRolledBack':
      return { ...state, status: 'rolled_back', rollbackReason: event.data.reason };
  }
}
