import type { Decider } from '../decider.js';
import { DomainRuleError } from '../errors.js';
import type { RequirementState } from '../requirement/state.js';
import { changedFields, changeSet } from '../shared/change-set.js';
import { requireExisting, requireNew } from '../shared/existence.js';
import { requireFact } from '../shared/facts.js';
import { revertTarget, type RevertFacts } from '../shared/revert.js';
import type { FeatureCommand } from './commands.js';
import type { FeatureEditableFields, FeatureEvent } from './events.js';
import { initialFeatureState, type ExistingFeatureState, type FeatureState } from './state.js';

const AGGREGATE = 'feature';

/** create reads the requirement it implements; revert reads the state at the target revision. */
export interface FeatureFacts extends RevertFacts<FeatureState> {
  requirement?: RequirementState;
}

export const featureDecider: Decider<FeatureState, FeatureCommand, FeatureEvent, FeatureFacts> = {
  aggregateType: AGGREGATE,
  initialState: initialFeatureState,
  evolve: evolveFeature,
  decide: decideFeature,
};

function decideFeature(command: FeatureCommand, state: FeatureState, facts: FeatureFacts | undefined): FeatureEvent[] {
  if (command.type === 'create') {
    requireNew(state, AGGREGATE);
    requireApproved(requireFact(facts?.requirement, 'requirement', 'feature.create'));
    return [{ type: 'FeatureCreated', data: command.data }];
  }
  const feature = requireExisting<ExistingFeatureState>(state, AGGREGATE);
  switch (command.type) {
    case 'update': {
      requireActive(feature, 'a deleted feature takes no update');
      // Repeating current values is not a change: nothing to record, the revision stays.
      const changed = changedFields<FeatureEditableFields>(command.data, feature);
      if (Object.keys(changed).length === 0) return [];
      return [{ type: 'FeatureUpdated', data: changeSet<FeatureEditableFields>(changed, feature) }];
    }
    case 'delete':
      requireActive(feature, 'the feature is already deleted');
      return [{ type: 'FeatureDeleted', data: { name: feature.name } }];
    case 'revert': {
      const target = revertTarget<ExistingFeatureState>(command.data.toRevision, facts, AGGREGATE);
      return [{ type: 'FeatureReverted', data: { toRevision: command.data.toRevision, state: target } }];
    }
  }
}

function requireApproved(requirement: RequirementState): void {
  if (requirement.status === 'none') throw new DomainRuleError('the requirement does not exist');
  if (requirement.status !== 'approved') {
    throw new DomainRuleError(`the requirement must be approved before features are created; it is ${requirement.status}`);
  }
}

export function requireActive(feature: ExistingFeatureState, refusal: string): void {
  if (feature.status !== 'active') throw new DomainRuleError(refusal);
}

function evolveFeature(state: FeatureState, event: FeatureEvent): FeatureState {
  if (event.type === 'FeatureCreated') return { status: 'active', ...event.data };
  if (event.type === 'FeatureReverted') return event.data.state;
  // Any other event before the creation cannot come from this decider: leave the state alone.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'FeatureUpdated':
      return { ...state, ...event.data.changes };
    case 'FeatureDeleted':
      return { ...state, status: 'deleted' };
    case 'FeatureRestored':
      return { ...state, status: 'active' };
  }
}
