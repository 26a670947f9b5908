import { z } from 'zod';
import { eventSchema } from '../shared/event-schema.js';
import { environmentSchema } from '../shared/schemas.js';
import { incidentCauseSchema } from './commands.js';

// Event data as recorded. No command limits here: they may change, recorded events may not.
// Each event carries what a projection or an audit line needs without reading anything else.

export const incidentOpenedSchema = z.object({
  deploymentId: z.string(),
  environment: environmentSchema,
  reason: z.string(),
  causedBy: incidentCauseSchema,
});
export const incidentResolvedSchema = z.object({
  deploymentId: z.string(),
  environment: environmentSchema,
  resolution: z.string(),
});

export const incidentEventSchema = z.discriminatedUnion('type', [
  eventSchema('IncidentOpened', incidentOpenedSchema),
  eventSchema('IncidentResolved', incidentResolvedSchema),
]);
export type IncidentEvent = z.infer<typeof incidentEventSchema>;

export type IncidentOpened = z.infer<typeof incidentOpenedSchema>;
export type IncidentResolved = z.infer<typeof incidentResolvedSchema>;
