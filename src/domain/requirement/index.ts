import { defineAggregate } from '../aggregate.js';
import { requirementCommandSchema } from './commands.js';
import { requirementEventSchema } from './events.js';
import { requirementDecider } from './decider.js';
import { compensate, touchedFields } from './undo.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';
export * from './decider.js';
export * from './undo.js';

export const requirement = defineAggregate({
  decider: requirementDecider,
  commandSchema: requirementCommandSchema,
  eventSchema: requirementEventSchema,
  creates: ['capture'],
  touchedFields,
  compensate,
  revert: {
    toRevision: (command) => (command.type === 'revert' ? command.data.toRevision : undefined),
    facts: (atRevision) => atRevision,
  },
});
