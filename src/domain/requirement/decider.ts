import type { Decider } from '../decider.js';
import { DomainRuleError } from '../errors.js';
import { requireExisting, requireNew } from '../shared/existence.js';
import { revertTarget, type RevertFacts } from '../shared/revert.js';
import { changeSet } from '../shared/change-set.js';
import type { RequirementCommand } from './commands.js';
import type { RequirementContent, RequirementEvent } from './events.js';
import { initialRequirementState, type ExistingRequirementState, type RequirementState } from './state.js';

const AGGREGATE = 'requirement';

/** Only revert reads facts: the state at the target revision and the current revision. */
export type RequirementFacts = RevertFacts<RequirementState>;

export const requirementDecider: Decider<RequirementState, RequirementCommand, RequirementEvent, RequirementFacts | undefined> = {
  aggregateType: AGGREGATE,
  initialState: initialRequirementState,
  evolve: evolveRequirement,
  decide: decideRequirement,
};

function decideRequirement(
  command: RequirementCommand,
  state: RequirementState,
  facts: RequirementFacts | undefined,
): RequirementEvent[] {
  if (command.type === 'capture') {
    requireNew(state, AGGREGATE);
    return [{ type: 'RequirementCaptured', data: command.data }];
  }
  const requirement = requireExisting<ExistingRequirementState>(state, AGGREGATE);
  switch (command.type) {
    case 'revise':
      requireRevisable(requirement);
      return [{ type: 'RequirementRevised', data: changeSet<RequirementContent>(command.data, requirement) }];
    case 'approve':
      requirePending(requirement, 'approved');
      return [{ type: 'RequirementApproved', data: { title: requirement.title } }];
    case 'reject':
      requirePending(requirement, 'rejected');
      return [{ type: 'RequirementRejected', data: { title: requirement.title, reason: command.data.reason } }];
    case 'revert': {
      const target = revertTarget<ExistingRequirementState>(command.data.toRevision, facts, AGGREGATE);
      return [{ type: 'RequirementReverted', data: { toRevision: command.data.toRevision, state: target } }];
    }
  }
}

function requirePending(requirement: ExistingRequirementState, outcome: 'approved' | 'rejected'): void {
  if (requirement.status !== 'captured') {
    throw new DomainRuleError(`only a captured requirement can be ${outcome}; this one is ${requirement.status}`);
  }
}

/**
 * A rejected requirement is a closed decision and is not revised: to reconsider it, undo the
 * rejection or revert to a revision before it, so the log shows the decision being reopened.
 * An approved one may still be refined and stays approved; a withdrawn one is gone.
 */
export function requireRevisable(requirement: ExistingRequirementState): void {
  if (requirement.status === 'rejected' || requirement.status === 'withdrawn') {
    throw new DomainRuleError(`a ${requirement.status} requirement cannot be revised`);
  }
}

function evolveRequirement(state: RequirementState, event: RequirementEvent): RequirementState {
  if (event.type === 'RequirementCaptured') return { status: 'captured', ...event.data, rejectionReason: null };
  if (event.type === 'RequirementReverted') return event.data.state;
  // Any other event before the capture cannot come from this decider: leave the state alone.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'RequirementRevised':
      return { ...state, ...event.data.changes };
    case 'RequirementApproved':
      return { ...state, status: 'approved' };
    case 'RequirementRejected':
      return { ...state, status: 'rejected', rejectionReason: event.data.reason };
    case 'RequirementWithdrawn':
      return { ...state, status: 'withdrawn' };
  }
}
