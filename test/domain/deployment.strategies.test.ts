import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { replay } from '../../src/domain/decider.js';
import { deploymentDecider, strategyFor, strategySchema, type DeploymentEvent } from '../../src/domain/deployment/index.js';
import { steppedStrategy } from '../../src/domain/deployment/strategies/strategy.js';
import { DomainRuleError } from '../../src/domain/errors.js';
import { started } from './deployment.fixtures.js';

describe('deployment strategies', () => {
  it.each([
    ['blue_green', [10, 50, 100]],
    ['canary', [5, 25, 50, 100]],
    ['rolling', [25, 50, 75, 100]],
  ] as const)('%s walks %j and then stops', (name, percents) => {
    const strategy = strategyFor(name);
    const shifts = percents.map((_, completed) => strategy.nextShift(completed));
    expect(shifts).toEqual(percents.map((percent, index) => ({ step: index + 1, percent })));
    expect(strategy.nextShift(percents.length)).toBeNull();
  });

  it('refuses a step table that does not end with all traffic moved', () => {
    expect(() => steppedStrategy('canary', [5, 50])).toThrow(/must end with all traffic/);
  });

  it('for every strategy, advancing until done raises traffic each time and succeeds exactly once, at 100%', () => {
    fc.assert(
      fc.property(fc.constantFrom(...strategySchema.options), (strategy) => {
        let state = replay(deploymentDecider, [started(strategy)]);
        const appended: DeploymentEvent[] = [];
        while (state.status === 'in_progress') {
          const events = deploymentDecider.decide({ type: 'advance', data: {} }, state, {});
          appended.push(...events);
          state = replay(deploymentDecider, events, state);
        }
        const percents = appended.flatMap((event) => (event.type === 'TrafficShifted' ? [event.data.percent] : []));
        expect(percents).toEqual([...percents].sort((a, b) => a - b));
        expect(new Set(percents).size).toBe(percents.length);
        expect(percents.at(-1)).toBe(100);
        expect(appended.filter((event) => event.type === 'DeploymentSucceeded')).toHaveLength(1);
        expect(appended.at(-1)?.type).toBe('DeploymentSucceeded');
        expect(() => deploymentDecider.decide({ type: 'advance', data: {} }, state, {})).toThrow(DomainRuleError);
      }),
    );
  });
});
