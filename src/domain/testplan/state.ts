import { z } from 'zod';
import type { NoState } from '../shared/existence.js';

export const recordedTestCaseSchema = z.object({ id: z.string(), title: z.string(), criterion: z.string() });

/** The plan of one feature (stream `testplan-<featureId>`). */
export const existingTestPlanStateSchema = z.object({
  status: z.literal('generated'),
  featureId: z.string(),
  requirementId: z.string(),
  cases: z.array(recordedTestCaseSchema),
});
export type ExistingTestPlanState = z.infer<typeof existingTestPlanStateSchema>;

export type TestPlanState = NoState | ExistingTestPlanState;

export const initialTestPlanState: TestPlanState = { status: 'none' };

export const testPlanFields = Object.keys(existingTestPlanStateSchema.shape);
