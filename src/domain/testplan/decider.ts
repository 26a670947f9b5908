import type { Decider } from '../decider.js';
import { requireNew } from '../shared/existence.js';
import type { TestPlanCommand } from './commands.js';
import type { TestPlanEvent } from './events.js';
import { initialTestPlanState, type TestPlanState } from './state.js';

const AGGREGATE = 'testplan';

/** The agent reads the feature and requirement itself; the plan needs no facts. */
export const testPlanDecider: Decider<TestPlanState, TestPlanCommand, TestPlanEvent, undefined> = {
  aggregateType: AGGREGATE,
  initialState: initialTestPlanState,
  evolve: evolveTestPlan,
  decide: decideTestPlan,
};

function decideTestPlan(command: TestPlanCommand, state: TestPlanState): TestPlanEvent[] {
  // Generated once per feature: reprocessing the same FeatureCreated must add nothing.
  requireNew(state, AGGREGATE);
  return [{ type: 'TestCasesGenerated', data: command.data }];
}

function evolveTestPlan(_state: TestPlanState, event: TestPlanEvent): TestPlanState {
  return { status: 'generated', ...event.data };
}
