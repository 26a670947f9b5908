import { defineAggregate } from '../aggregate.js';
import { incidentCommandSchema } from './commands.js';
import { incidentEventSchema } from './events.js';
import { incidentDecider } from './decider.js';
import { compensate, touchedFields } from './undo.js';

export * from './commands.js';
export * from './events.js';
export * from './state.js';
export * from './decider.js';
export * from './undo.js';

export const incident = defineAggregate({
  decider: incidentDecider,
  commandSchema: incidentCommandSchema,
  eventSchema: incidentEventSchema,
  creates: ['open'],
  touchedFields,
  compensate,
});
