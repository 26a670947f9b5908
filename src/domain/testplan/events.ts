import { z } from 'zod';
import { eventSchema } from '../shared/event-schema.js';
import { recordedTestCaseSchema } from './state.js';

// Event data as recorded. No command limits here: they may change, recorded events may not.

export const testCasesGeneratedSchema = z.object({
  featureId: z.string(),
  requirementId: z.string(),
  cases: z.array(recordedTestCaseSchema),
});

export const testPlanEventSchema = z.discriminatedUnion('type', [eventSchema('TestCasesGenerated', testCasesGeneratedSchema)]);
export type TestPlanEvent = z.infer<typeof testPlanEventSchema>;

export type TestCasesGenerated = z.infer<typeof testCasesGeneratedSchema>;
