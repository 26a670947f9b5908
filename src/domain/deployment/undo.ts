import { DomainRuleError, NotUndoableError } from '../errors.js';
import type { DeploymentEvent } from './events.js';
import type { DeploymentState } from './state.js';

/**
 * The state fields an event sets: undo is refused when a later command set the same ones.
 * A start lists only what it chose (build, environment, strategy, version): traffic shifts and
 * success are the deployment's own progress, not overwrites of its start, and whether a start
 * can still be undone is decided by `compensate` from the current status.
 */
export function touchedFields(event: DeploymentEvent): string[] {
  switch (event.type) {
    case 'DeploymentStarted':
      return ['buildId', 'featureId', 'environment', 'strategy', 'version'];
    case 'TrafficShifted':
      return ['step', 'percent'];
    case 'DeploymentSucceeded':
      return ['status'];
    case 'DeploymentFailed':
      return ['status', 'failureReason'];
    case 'DeploymentRolledBack':
      return ['status', 'rollbackReason'];
  }
}

/**
 * Undoing a start rolls the deployment back (reason 'undo'); a succeeded one also gives its
 * environment back to the previous version. Everything else a deployment records happened to
 * live traffic — shifts, success, failure, rollbacks — and cannot be taken back. That includes
 * the rollback an undo appended: a rolled-back deployment is not resumed, a new one is started.
 */
export function compensate(
  events: DeploymentEvent[],
  _stateBefore: DeploymentState,
  stateNow: DeploymentState,
): DeploymentEvent[] {
  const [first] = events;
  if (first?.type !== 'DeploymentStarted') {
    const type = first?.type ?? 'the command';
    throw new NotUndoableError(type, `${type} records what happened to live traffic and cannot be undone`);
  }
  if (stateNow.status === 'none') throw new DomainRuleError('the deployment does not exist');
  const { environment, version } = stateNow;
  if (stateNow.status === 'in_progress') {
    return [{ type: 'DeploymentRolledBack', data: { environment, version, reason: 'undo' } }];
  }
  if (stateNow.status === 'succeeded') {
    return [{ type: 'DeploymentRolledBack', data: { environment, version, reason: 'undo', restoresPreviousVersion: true } }];
  }
  throw new DomainRuleError(`the deployment is ${stateNow.status} already; there is nothing left to undo`);
}
