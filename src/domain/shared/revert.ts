import { DomainRuleError } from '../errors.js';
import { requireFact } from './facts.js';
import type { NoState } from './existence.js';

/**
 * What the pipeline passes to a revert command: the stream replayed up to toRevision, and the
 * stream's current revision (so the decider can refuse a revision that does not exist yet).
 */
export interface RevertFacts<State> {
  stateAtRevision?: State;
  currentRevision?: number;
}

/** Checks the revert request and returns the created state to go back to. */
export function revertTarget<Existing extends { status: string }>(
  toRevision: number,
  facts: RevertFacts<NoState | Existing> | undefined,
  aggregateType: string,
): Existing {
  const currentRevision = requireFact(facts?.currentRevision, 'currentRevision', `${aggregateType}.revert`);
  const stateAtRevision = requireFact(facts?.stateAtRevision, 'stateAtRevision', `${aggregateType}.revert`);
  if (toRevision > currentRevision) {
    throw new DomainRuleError(
      `cannot revert to revision ${toRevision}: the ${aggregateType} is at revision ${currentRevision}`,
    );
  }
  // Revision 0 is the creating event, so any revision in range has a created state.
  if (stateAtRevision.status === 'none') {
    throw new DomainRuleError(`the ${aggregateType} did not exist at revision ${toRevision}`);
  }
  return stateAtRevision as Existing;
}
