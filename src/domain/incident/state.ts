import { z } from 'zod';
import type { NoState } from '../shared/existence.js';
import { environmentSchema } from '../shared/schemas.js';
import { incidentCauseSchema } from './commands.js';

export const incidentStatusSchema = z.enum(['open', 'resolved']);

export const existingIncidentStateSchema = z.object({
  status: incidentStatusSchema,
  deploymentId: z.string(),
  environment: environmentSchema,
  reason: z.string(),
  causedBy: incidentCauseSchema,
  resolution: z.string().nullable(),
});
export type ExistingIncidentState = z.infer<typeof existingIncidentStateSchema>;

export type IncidentState = NoState | ExistingIncidentState;

export const initialIncidentState: IncidentState = { status: 'none' };

export const incidentFields = Object.keys(existingIncidentStateSchema.shape);
