import { describe, expect, it } from 'vitest';
import { replay } from '../../src/domain/decider.js';
import {
  compensate,
  deploymentDecider,
  touchedFields,
  type DeploymentEvent,
  type DeploymentFacts,
} from '../../src/domain/deployment/index.js';
import { DomainRuleError, NotUndoableError } from '../../src/domain/errors.js';
import { deployableBuild } from './build.fixtures.js';
import { failed, rolledBack, shifted, started, succeeded, succeededHistory } from './deployment.fixtures.js';
import { BUILD_ID } from './fixtures.js';
import { undoRoundTrip } from './undo-round-trip.js';

const deployment = { decider: deploymentDecider, compensate };
const stateOf = (events: DeploymentEvent[]) => replay(deploymentDecider, events);
const clear: DeploymentFacts = { build: deployableBuild, stagingSucceededForBuild: false, inProgressInEnvironment: [] };

describe('deployment: undo of a start', () => {
  it('right after the start, undo rolls the deployment back with reason "undo"', () => {
    const run = undoRoundTrip(
      deployment,
      [],
      { type: 'start', data: { buildId: BUILD_ID, environment: 'staging', strategy: 'blue_green', version: '1.4.0' } },
      clear,
    );
    expect(run.compensation).toEqual([rolledBack('undo')]);
    expect(run.undone).toEqual({ ...run.after, status: 'rolled_back', rollbackReason: 'undo' });
  });

  it('after some traffic shifts, undo still rolls back the deployment in progress', () => {
    const now = stateOf([started(), shifted(1, 10), shifted(2, 50)]);
    const compensation = compensate([started()], stateOf([]), now);
    expect(compensation).toEqual([rolledBack('undo')]);
    expect(replay(deploymentDecider, compensation, now)).toMatchObject({ status: 'rolled_back' });
  });

  it('after it succeeded, undo rolls back and restores the previous version', () => {
    const now = stateOf(succeededHistory);
    const compensation = compensate([started()], stateOf([]), now);
    expect(compensation).toEqual([rolledBack('undo', true)]);
    expect(replay(deploymentDecider, compensation, now)).toMatchObject({ status: 'rolled_back', rollbackReason: 'undo' });
  });

  it.each([
    ['rolled back', [started(), rolledBack('manual')]],
    ['failed', [started(), failed('boom'), rolledBack('boom')]],
  ])('once %s, undo of the start is refused', (_status, history) => {
    expect(() => compensate([started()], stateOf([]), stateOf(history))).toThrow(DomainRuleError);
  });

  it('the rollback an undo appended is not undone in turn: a new deployment is started instead', () => {
    const now = stateOf([started(), rolledBack('undo')]);
    expect(() => compensate([rolledBack('undo')], stateOf([started()]), now)).toThrow(NotUndoableError);
  });
});

describe('deployment: recorded facts', () => {
  it.each([
    ['an advance', [shifted(1, 10)], [started()]],
    ['the final advance', [shifted(3, 100), succeeded()], [started(), shifted(1, 10), shifted(2, 50)]],
    ['a failure', [failed('boom'), rolledBack('boom')], [started()]],
    ['a rollback', [rolledBack('manual', true)], succeededHistory],
  ] satisfies [string, DeploymentEvent[], DeploymentEvent[]][])('%s cannot be undone', (_name, events, history) => {
    const before = stateOf(history);
    const now = replay(deploymentDecider, events, before);
    expect(() => compensate(events, before, now)).toThrow(NotUndoableError);
  });
});

describe('deployment: touched fields', () => {
  it('a start touches what it chose, so the deployment\'s own progress never blocks its undo', () => {
    const startFields = touchedFields(started());
    expect(startFields).toEqual(['buildId', 'featureId', 'environment', 'strategy', 'version']);
    for (const progress of [shifted(1, 10), succeeded(), failed('x'), rolledBack('x')]) {
      expect(touchedFields(progress).filter((field) => startFields.includes(field))).toEqual([]);
    }
  });

  it('progress events touch the fields they set', () => {
    expect(touchedFields(shifted(1, 10))).toEqual(['step', 'percent']);
    expect(touchedFields(succeeded())).toEqual(['status']);
    expect(touchedFields(failed('x'))).toEqual(['status', 'failureReason']);
    expect(touchedFields(rolledBack('x'))).toEqual(['status', 'rollbackReason']);
  });
});
