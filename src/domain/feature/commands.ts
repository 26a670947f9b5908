import { z } from 'zod';
import { commandSchema } from '../shared/event-schema.js';
import { emptySchema, hasAnyField, revertSchema, text, ulidSchema, type Empty, type Revert } from '../shared/schemas.js';

// Command payloads exactly as a client sends them; the HTTP API validates bodies with these.

const name = text(1, 200);
const complexityPoints = z.number().int().min(1).max(100);
const developer = text(1, 200);

export const createFeatureSchema = z
  .object({ requirementId: ulidSchema, name, complexityPoints, developer })
  .strict();
export type CreateFeature = z.infer<typeof createFeatureSchema>;

// The requirement a feature implements is fixed at creation.
export const updateFeatureSchema = z
  .object({ name, complexityPoints, developer })
  .partial()
  .strict()
  .refine(hasAnyField, { message: 'give at least one of name, complexityPoints, developer' });
export type UpdateFeature = z.infer<typeof updateFeatureSchema>;

export const deleteFeatureSchema = emptySchema;
export type DeleteFeature = Empty;

export const revertFeatureSchema = revertSchema;
export type RevertFeature = Revert;

export const featureCommandSchema = z.discriminatedUnion('type', [
  commandSchema('create', createFeatureSchema),
  commandSchema('update', updateFeatureSchema),
  commandSchema('delete', deleteFeatureSchema),
  commandSchema('revert', revertFeatureSchema),
]);
export type FeatureCommand = z.infer<typeof featureCommandSchema>;
