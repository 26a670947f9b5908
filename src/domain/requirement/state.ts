import { z } from 'zod';
import type { NoState } from '../shared/existence.js';
import { prioritySchema } from './commands.js';

// 'captured' is the pending state: only a captured requirement awaits approval or rejection.
// 'withdrawn' is where undoing a capture leaves it (the log keeps it; it is simply gone).
export const requirementStatusSchema = z.enum(['captured', 'approved', 'rejected', 'withdrawn']);

/** A requirement once captured. Every field is always present (null when unset) for read models. */
export const existingRequirementStateSchema = z.object({
  status: requirementStatusSchema,
  title: z.string(),
  description: z.string(),
  priority: prioritySchema,
  acceptanceCriteria: z.array(z.string()),
  rejectionReason: z.string().nullable(),
});
export type ExistingRequirementState = z.infer<typeof existingRequirementStateSchema>;

export type RequirementState = NoState | ExistingRequirementState;

export const initialRequirementState: RequirementState = { status: 'none' };

export const requirementFields = Object.keys(existingRequirementStateSchema.shape);
