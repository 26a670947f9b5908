import { DomainConflictError } from '../errors.js';
import { changeSet } from '../shared/change-set.js';
import { onlyEvent } from '../shared/only-event.js';
import { restoreFields } from '../shared/restore-fields.js';
import { requireRevisable } from './decider.js';
import type { RequirementContent, RequirementEvent } from './events.js';
import { requirementFields, type ExistingRequirementState, type RequirementState } from './state.js';

/** The state fields an event sets: undo is refused when a later command set the same ones. */
export function touchedFields(event: RequirementEvent): string[] {
  switch (event.type) {
    case 'RequirementCaptured':
    case 'RequirementReverted':
      return [...requirementFields];
    case 'RequirementRevised':
      return Object.keys(event.data.changes);
    case 'RequirementApproved':
    case 'RequirementWithdrawn':
      return ['status'];
    case 'RequirementRejected':
      return ['status', 'rejectionReason'];
  }
}

/**
 * The events that take back a command which appended `events` to a requirement in `stateBefore`.
 * A capture is withdrawn; a revision is revised back; anything else (approve, reject, withdraw,
 * revert) is reverted, restoring only the fields it touched so later unrelated changes survive.
 * A compensation is a command too: it obeys the same rules (a rejected requirement is not revised).
 */
export function compensate(
  events: RequirementEvent[],
  stateBefore: RequirementState,
  stateNow: RequirementState,
): RequirementEvent[] {
  const event = onlyEvent(events, 'requirement');
  if (stateNow.status === 'none') throw new DomainConflictError('the requirement does not exist');
  switch (event.type) {
    case 'RequirementCaptured':
      if (stateNow.status === 'withdrawn') throw new DomainConflictError('the requirement is already withdrawn');
      return [{ type: 'RequirementWithdrawn', data: { title: stateNow.title } }];
    case 'RequirementRevised':
      requireRevisable(stateNow);
      // Back to the old values; `previous` records the values being replaced now.
      return [{ type: 'RequirementRevised', data: changeSet<RequirementContent>(event.data.previous, stateNow) }];
    default: {
      if (stateBefore.status === 'none') throw new DomainConflictError('the requirement did not exist before');
      const state = restoreFields<ExistingRequirementState>(stateNow, stateBefore, touchedFields(event));
      return [{ type: 'RequirementReverted', data: { state } }];
    }
  }
}
