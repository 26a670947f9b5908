import { z } from 'zod';
import type { NoState } from '../shared/existence.js';

// A deleted feature keeps its fields, so restoring it (the undo of a delete) loses nothing.
export const featureStatusSchema = z.enum(['active', 'deleted']);

export const existingFeatureStateSchema = z.object({
  status: featureStatusSchema,
  requirementId: z.string(),
  name: z.string(),
  complexityPoints: z.number(),
  developer: z.string(),
});
export type ExistingFeatureState = z.infer<typeof existingFeatureStateSchema>;

export type FeatureState = NoState | ExistingFeatureState;

export const initialFeatureState: FeatureState = { status: 'none' };

export const featureFields = Object.keys(existingFeatureStateSchema.shape);
