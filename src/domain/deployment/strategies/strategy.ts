import type { StrategyName } from '../commands.js';

export interface TrafficShift {
  /** 1 for the first shift, counting up. */
  step: number;
  /** Share of traffic on the new version after the shift. */
  percent: number;
}

/** How a deployment moves traffic to the new version, one `advance` at a time. */
export interface DeploymentStrategy {
  readonly name: StrategyName;
  readonly trafficSteps: readonly number[];
  /** The shift that follows `completedSteps` shifts, or null once all traffic has moved. */
  nextShift(completedSteps: number): TrafficShift | null;
}

/** A strategy that walks a fixed list of traffic percentages, the last being 100. */
export function steppedStrategy(name: StrategyName, trafficSteps: readonly number[]): DeploymentStrategy {
  if (trafficSteps.at(-1) !== 100) throw new Error(`strategy ${name} must end with all traffic on the new version`);
  return {
    name,
    trafficSteps,
    nextShift(completedSteps) {
      const percent = trafficSteps[completedSteps];
      return percent === undefined ? null : { step: completedSteps + 1, percent };
    },
  };
}
