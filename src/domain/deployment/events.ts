import { z } from 'zod';
import { eventSchema } from '../shared/event-schema.js';
import { environmentSchema } from '../shared/schemas.js';
import { strategySchema } from './commands.js';

// Event data as recorded. No command limits here: they may change, recorded events may not.
// Each event carries what a projection, the incident agent or an audit line needs without
// reading anything else (which environment, which version).

/** No traffic moves at the start: the first `advance` makes the first shift. */
export const deploymentStartedSchema = z.object({
  buildId: z.string(),
  featureId: z.string(),
  environment: environmentSchema,
  strategy: strategySchema,
  version: z.string(),
});
export const trafficShiftedSchema = z.object({ step: z.number().int().min(1), percent: z.number() });
/** The version becomes current in its environment. */
export const deploymentSucceededSchema = z.object({ buildId: z.string(), environment: environmentSchema, version: z.string() });
export const deploymentFailedSchema = z.object({ environment: environmentSchema, version: z.string(), reason: z.string() });
/** `restoresPreviousVersion` when the deployment had succeeded: the environment goes back to its previous version. */
export const deploymentRolledBackSchema = z.object({
  environment: environmentSchema,
  version: z.string(),
  reason: z.string(),
  restoresPreviousVersion: z.literal(true).optional(),
});

export const deploymentEventSchema = z.discriminatedUnion('type', [
  eventSchema('DeploymentStarted', deploymentStartedSchema),
  eventSchema('TrafficShifted', trafficShiftedSchema),
  eventSchema('DeploymentSucceeded', deploymentSucceededSchema),
  eventSchema('DeploymentFailed', deploymentFailedSchema),
  eventSchema('DeploymentRolledBack', deploymentRolledBackSchema),
]);
export type DeploymentEvent = z.infer<typeof deploymentEventSchema>;

export type DeploymentStarted = z.infer<typeof deploymentStartedSchema>;
export type TrafficShifted = z.infer<typeof trafficShiftedSchema>;
export type DeploymentSucceeded = z.infer<typeof deploymentSucceededSchema>;
export type DeploymentFailed = z.infer<typeof deploymentFailedSchema>;
export type DeploymentRolledBack = z.infer<typeof deploymentRolledBackSchema>;
