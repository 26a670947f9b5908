import { z } from 'zod';
import { eventSchema } from '../shared/event-schema.js';
import { prioritySchema } from './commands.js';
import { existingRequirementStateSchema } from './state.js';

// Event data as recorded. No command limits here: they may change, recorded events may not.
// Each event carries what a projection or an audit line needs without reading anything else.

const contentFields = {
  title: z.string(),
  description: z.string(),
  priority: prioritySchema,
  acceptanceCriteria: z.array(z.string()),
};
const contentChangeSchema = z.object(contentFields).partial();

export const requirementCapturedSchema = z.object(contentFields);
/** `changes` holds the new values, `previous` the old values of exactly those fields. */
export const requirementRevisedSchema = z.object({ changes: contentChangeSchema, previous: contentChangeSchema });
export const requirementApprovedSchema = z.object({ title: z.string() });
export const requirementRejectedSchema = z.object({ title: z.string(), reason: z.string() });
export const requirementWithdrawnSchema = z.object({ title: z.string() });
/**
 * The whole state to return to. `toRevision` names the revision for an explicit revert; an undo
 * restores the state before the undone command and is linked to it by the `undoOf` metadata.
 */
export const requirementRevertedSchema = z.object({
  toRevision: z.number().int().min(0).optional(),
  state: existingRequirementStateSchema,
});

export const requirementEventSchema = z.discriminatedUnion('type', [
  eventSchema('RequirementCaptured', requirementCapturedSchema),
  eventSchema('RequirementRevised', requirementRevisedSchema),
  eventSchema('RequirementApproved', requirementApprovedSchema),
  eventSchema('RequirementRejected', requirementRejectedSchema),
  eventSchema('RequirementWithdrawn', requirementWithdrawnSchema),
  eventSchema('RequirementReverted', requirementRevertedSchema),
]);
export type RequirementEvent = z.infer<typeof requirementEventSchema>;

export type RequirementCaptured = z.infer<typeof requirementCapturedSchema>;
/** The fields a client writes: captured together, revised in part. */
export type RequirementContent = RequirementCaptured;
export type RequirementRevised = z.infer<typeof requirementRevisedSchema>;
export type RequirementApproved = z.infer<typeof requirementApprovedSchema>;
export type RequirementRejected = z.infer<typeof requirementRejectedSchema>;
export type RequirementWithdrawn = z.infer<typeof requirementWithdrawnSchema>;
export type RequirementReverted = z.infer<typeof requirementRevertedSchema>;
