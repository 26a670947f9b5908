import type { DeploymentEvent, StrategyName } from '../../src/domain/deployment/index.js';
import type { Environment } from '../../src/domain/shared/schemas.js';
import { BUILD_ID, FEATURE_ID } from './fixtures.js';

export function started(strategy: StrategyName = 'blue_green', environment: Environment = 'staging') {
  return {
    type: 'DeploymentStarted',
    data: { buildId: BUILD_ID, featureId: FEATURE_ID, environment, strategy, version: '1.4.0' },
  } satisfies DeploymentEvent;
}

export function shifted(step: number, percent: number) {
  return { type: 'TrafficShifted', data: { step, percent } } satisfies DeploymentEvent;
}

export function succeeded(environment: Environment = 'staging') {
  return { type: 'DeploymentSucceeded', data: { buildId: BUILD_ID, environment, version: '1.4.0' } } satisfies DeploymentEvent;
}

export function rolledBack(reason: string, restoresPreviousVersion?: true): DeploymentEvent {
  const data = { environment: 'staging' as const, version: '1.4.0', reason };
  return { type: 'DeploymentRolledBack', data: restoresPreviousVersion ? { ...data, restoresPreviousVersion } : data };
}

export function failed(reason: string) {
  return { type: 'DeploymentFailed', data: { environment: 'staging', version: '1.4.0', reason } } satisfies DeploymentEvent;
}

/** A blue/green staging deployment that reached 100%. */
export const succeededHistory: DeploymentEvent[] = [started(), shifted(1, 10), shifted(2, 50), shifted(3, 100), succeeded()];
