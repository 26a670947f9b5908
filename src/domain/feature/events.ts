import { z } from 'zod';
import { eventSchema } from '../shared/event-schema.js';
import { existingFeatureStateSchema } from './state.js';

// Event data as recorded. No command limits here: they may change, recorded events may not.
// Each event carries what a projection or an audit line needs without reading anything else.

const editableFields = { name: z.string(), complexityPoints: z.number(), developer: z.string() };
const editableChangeSchema = z.object(editableFields).partial();

export const featureCreatedSchema = z.object({ requirementId: z.string(), ...editableFields });
/** `changes` holds the new values, `previous` the old values of exactly those fields. */
export const featureUpdatedSchema = z.object({ changes: editableChangeSchema, previous: editableChangeSchema });
export const featureDeletedSchema = z.object({ name: z.string() });
export const featureRestoredSchema = z.object({ name: z.string() });
/**
 * The whole state to return to. `toRevision` names the revision for an explicit revert; an undo
 * restores the state before the undone command and is linked to it by the `undoOf` metadata.
 */
export const featureRevertedSchema = z.object({
  toRevision: z.number().int().min(0).optional(),
  state: existingFeatureStateSchema,
});

export const featureEventSchema = z.discriminatedUnion('type', [
  eventSchema('FeatureCreated', featureCreatedSchema),
  eventSchema('FeatureUpdated', featureUpdatedSchema),
  eventSchema('FeatureDeleted', featureDeletedSchema),
  eventSchema('FeatureRestored', featureRestoredSchema),
  eventSchema('FeatureReverted', featureRevertedSchema),
]);
export type FeatureEvent = z.infer<typeof featureEventSchema>;

export type FeatureCreated = z.infer<typeof featureCreatedSchema>;
export type FeatureUpdated = z.infer<typeof featureUpdatedSchema>;
export type FeatureDeleted = z.infer<typeof featureDeletedSchema>;
export type FeatureRestored = z.infer<typeof featureRestoredSchema>;
export type FeatureReverted = z.infer<typeof featureRevertedSchema>;
/** The fields an update may change. */
export type FeatureEditableFields = z.infer<z.ZodObject<typeof editableFields>>;
