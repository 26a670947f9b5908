import { z } from 'zod';
import { commandSchema } from '../shared/event-schema.js';
import { environmentSchema, text, ulidSchema } from '../shared/schemas.js';

// Command payloads exactly as a client sends them; the HTTP API validates bodies with these.

/** The deployment events an incident is opened for. */
export const incidentCauseSchema = z.enum(['DeploymentFailed', 'DeploymentRolledBack']);
export type IncidentCause = z.infer<typeof incidentCauseSchema>;

/** Sent by the incident agent when it sees a failed or rolled-back deployment. */
export const openIncidentSchema = z
  .object({ deploymentId: ulidSchema, environment: environmentSchema, reason: text(1, 2000), causedBy: incidentCauseSchema })
  .strict();
export type OpenIncident = z.infer<typeof openIncidentSchema>;

export const resolveIncidentSchema = z.object({ resolution: text(1, 2000) }).strict();
export type ResolveIncident = z.infer<typeof resolveIncidentSchema>;

export const incidentCommandSchema = z.discriminatedUnion('type', [
  commandSchema('open', openIncidentSchema),
  commandSchema('resolve', resolveIncidentSchema),
]);
export type IncidentCommand = z.infer<typeof incidentCommandSchema>;
