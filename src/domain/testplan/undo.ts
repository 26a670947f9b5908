import { NotUndoableError } from '../errors.js';
import type { TestPlanEvent } from './events.js';
import { testPlanFields, type TestPlanState } from './state.js';

/** The state fields an event sets: a generated plan sets all of them. */
export function touchedFields(_event: TestPlanEvent): string[] {
  return [...testPlanFields];
}

/** A generated plan is the testing agent's recorded output, not a person's decision: it is not undone. */
export function compensate(events: TestPlanEvent[], _stateBefore: TestPlanState, _stateNow: TestPlanState): TestPlanEvent[] {
  const type = events[0]?.type ?? 'the command';
  throw new NotUndoableError(type, `${type} records the testing agent's output and cannot be undone`);
}
