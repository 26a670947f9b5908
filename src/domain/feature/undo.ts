import { DomainConflictError } from '../errors.js';
import { changeSet } from '../shared/change-set.js';
import { onlyEvent } from '../shared/only-event.js';
import { restoreFields } from '../shared/restore-fields.js';
import { requireActive } from './decider.js';
import type { FeatureEditableFields, FeatureEvent } from './events.js';
import { featureFields, type ExistingFeatureState, type FeatureState } from './state.js';

/** The state fields an event sets: undo is refused when a later command set the same ones. */
export function touchedFields(event: FeatureEvent): string[] {
  switch (event.type) {
    case 'FeatureCreated':
    case 'FeatureReverted':
      return [...featureFields];
    case 'FeatureUpdated':
      return Object.keys(event.data.changes);
    case 'FeatureDeleted':
    case 'FeatureRestored':
      return ['status'];
  }
}

/**
 * The events that take back a command which appended `events` to a feature in `stateBefore`.
 * create ↔ delete, delete ↔ restore; an update is updated back; a revert is reverted to the
 * state before it. A compensation is a command too: it obeys the same rules.
 */
export function compensate(events: FeatureEvent[], stateBefore: FeatureState, stateNow: FeatureState): FeatureEvent[] {
  const event = onlyEvent(events, 'feature');
  if (stateNow.status === 'none') throw new DomainConflictError('the feature does not exist');
  switch (event.type) {
    case 'FeatureCreated':
    case 'FeatureRestored':
      if (stateNow.status === 'deleted') throw new DomainConflictError('the feature is already deleted');
      return [{ type: 'FeatureDeleted', data: { name: stateNow.name } }];
    case 'FeatureDeleted':
      if (stateNow.status === 'active') throw new DomainConflictError('the feature is not deleted any more');
      return [{ type: 'FeatureRestored', data: { name: stateNow.name } }];
    case 'FeatureUpdated':
      requireActive(stateNow, 'a deleted feature takes no update');
      // Back to the old values; `previous` records the values being replaced now.
      return [{ type: 'FeatureUpdated', data: changeSet<FeatureEditableFields>(event.data.previous, stateNow) }];
    case 'FeatureReverted': {
      if (stateBefore.status === 'none') throw new DomainConflictError('the feature did not exist before');
      const state = restoreFields<ExistingFeatureState>(stateNow, stateBefore, touchedFields(event));
      return [{ type: 'FeatureReverted', data: { state } }];
    }
  }
}
