import { z } from 'zod';
import { commandSchema } from '../shared/event-schema.js';
import { text, ulidSchema } from '../shared/schemas.js';

// Sent by the testing-engineer agent only: one case per acceptance criterion of the requirement.

export const testCaseSchema = z
  .object({ id: text(1, 100), title: text(1, 200), criterion: text(1, 2000) })
  .strict();
export type TestCase = z.infer<typeof testCaseSchema>;

export const generateTestCasesSchema = z
  .object({ featureId: ulidSchema, requirementId: ulidSchema, cases: z.array(testCaseSchema).min(1).max(20) })
  .strict()
  .refine((plan) => new Set(plan.cases.map((testCase) => testCase.id)).size === plan.cases.length, {
    message: 'test case ids must be unique',
    path: ['cases'],
  });
export type GenerateTestCases = z.infer<typeof generateTestCasesSchema>;

export const testPlanCommandSchema = z.discriminatedUnion('type', [commandSchema('generate', generateTestCasesSchema)]);
export type TestPlanCommand = z.infer<typeof testPlanCommandSchema>;
