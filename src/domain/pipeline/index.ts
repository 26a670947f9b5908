import { defineAggregate } from '../aggregate.js';
import { pipelineCommandSchema } from './commands.js';
import { pipelineEventSchema } from './events.js';
import { compensate, pipelineDecider, touchedFields } from './decider.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';
export * from './decider.js';

/** start reads the feature: src/commands/facts/feature-state.ts loads it. */
export const pipeline = defineAggregate({
  decider: pipelineDecider,
  commandSchema: pipelineCommandSchema,
  eventSchema: pipelineEventSchema,
  creates: ['start'],
  touchedFields,
  compensate,
});
