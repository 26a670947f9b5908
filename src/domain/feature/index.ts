import { defineAggregate } from '../aggregate.js';
import { featureCommandSchema } from './commands.js';
import { featureEventSchema } from './events.js';
import { featureDecider } from './decider.js';
import { compensate, touchedFields } from './undo.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';
export * from './decider.js';
export * from './undo.js';

/** create reads the requirement it implements: src/commands/facts/feature-facts.ts loads it. */
export const feature = defineAggregate({
  decider: featureDecider,
  commandSchema: featureCommandSchema,
  eventSchema: featureEventSchema,
  creates: ['create'],
  touchedFields,
  compensate,
  revert: {
    toRevision: (command) => (command.type === 'revert' ? command.data.toRevision : undefined),
    facts: (atRevision) => atRevision,
  },
});
