import { defineAggregate } from '../aggregate.js';
import { testPlanCommandSchema } from './commands.js';
import { testPlanEventSchema } from './events.js';
import { testPlanDecider } from './decider.js';
import { compensate, touchedFields } from './undo.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';
export * from './decider.js';
export * from './undo.js';

export const testplan = defineAggregate({
  decider: testPlanDecider,
  commandSchema: testPlanCommandSchema,
  eventSchema: testPlanEventSchema,
  creates: ['generate'],
  touchedFields,
  compensate,
});
