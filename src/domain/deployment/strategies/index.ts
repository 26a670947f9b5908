import type { StrategyName } from '../commands.js';
import { blueGreen } from './blue-green.js';
import { canary } from './canary.js';
import { rolling } from './rolling.js';
import type { DeploymentStrategy } from './strategy.js';

export type { DeploymentStrategy, TrafficShift } from './strategy.js';

const strategies: Record<StrategyName, DeploymentStrategy> = { blue_green: blueGreen, canary, rolling };

export function strategyFor(name: StrategyName): DeploymentStrategy {
  return strategies[name];
}
