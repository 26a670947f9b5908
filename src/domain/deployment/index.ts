import { defineAggregate } from '../aggregate.js';
import { deploymentCommandSchema } from './commands.js';
import { deploymentEventSchema } from './events.js';
import { deploymentDecider } from './decider.js';
import { compensate, touchedFields } from './undo.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';
export * from './gates.js';
export * from './strategies/index.js';
export * from './decider.js';
export * from './undo.js';

/** start reads the gates' facts and reserves its environment: src/commands/facts/deployment-facts.ts. */
export const deployment = defineAggregate({
  decider: deploymentDecider,
  commandSchema: deploymentCommandSchema,
  eventSchema: deploymentEventSchema,
  creates: ['start'],
  touchedFields,
  compensate,
});
