import { defineAggregate } from '../aggregate.js';
import { buildCommandSchema } from './commands.js';
import { buildEventSchema } from './events.js';
import { buildDecider } from './decider.js';
import { compensate, touchedFields } from './undo.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';
export * from './decider.js';
export * from './undo.js';

/** request reads the feature being built: src/commands/facts/feature-state.ts loads it. */
export const build = defineAggregate({
  decider: buildDecider,
  commandSchema: buildCommandSchema,
  eventSchema: buildEventSchema,
  creates: ['request'],
  touchedFields,
  compensate,
});
