import { z } from 'zod';
import { commandSchema } from '../shared/event-schema.js';
import { emptySchema, hasAnyField, multilineText, revertSchema, text, type Empty, type Revert } from '../shared/schemas.js';

// Command payloads exactly as a client sends them; the HTTP API validates bodies with these.

export const prioritySchema = z.enum(['low', 'medium', 'high', 'critical']);
export type Priority = z.infer<typeof prioritySchema>;

const title = text(1, 200);
const description = multilineText(10_000);
// A requirement has 1 to 20 acceptance criteria, each at most 2000 characters.
const acceptanceCriteria = z.array(text(1, 2000)).min(1).max(20);

export const captureRequirementSchema = z
  .object({ title, description: description.default(''), priority: prioritySchema, acceptanceCriteria })
  .strict();
export type CaptureRequirement = z.infer<typeof captureRequirementSchema>;

// Built from the bare fields: a partial of capture would inherit description's default.
export const reviseRequirementSchema = z
  .object({ title, description, priority: prioritySchema, acceptanceCriteria })
  .partial()
  .strict()
  .refine(hasAnyField, { message: 'give at least one of title, description, priority, acceptanceCriteria' });
export type ReviseRequirement = z.infer<typeof reviseRequirementSchema>;

export const approveRequirementSchema = emptySchema;
export type ApproveRequirement = Empty;

export const rejectRequirementSchema = z.object({ reason: text(1, 2000) }).strict();
export type RejectRequirement = z.infer<typeof rejectRequirementSchema>;

export const revertRequirementSchema = revertSchema;
export type RevertRequirement = Revert;

export const requirementCommandSchema = z.discriminatedUnion('type', [
  commandSchema('capture', captureRequirementSchema),
  commandSchema('revise', reviseRequirementSchema),
  commandSchema('approve', approveRequirementSchema),
  commandSchema('reject', rejectRequirementSchema),
  commandSchema('revert', revertRequirementSchema),
]);
export type RequirementCommand = z.infer<typeof requirementCommandSchema>;
