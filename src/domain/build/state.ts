import { z } from 'zod';
import type { NoState } from '../shared/existence.js';
import { severitySchema } from './commands.js';

export const buildStatusSchema = z.enum(['requested', 'succeeded', 'failed']);

export const testRunSchema = z.object({ passed: z.number(), failed: z.number(), coverage: z.number() });
export type TestRun = z.infer<typeof testRunSchema>;

export const securityScanSchema = z.object({
  findings: z.array(z.object({ id: z.string(), severity: severitySchema })),
});
export type SecurityScan = z.infer<typeof securityScanSchema>;

/** The deployment gates read the latest test run and scan: each new one replaces the last. */
export const existingBuildStateSchema = z.object({
  status: buildStatusSchema,
  featureId: z.string(),
  commit: z.string(),
  repository: z.string().nullable(),
  durationMs: z.number().nullable(),
  latestTestRun: testRunSchema.nullable(),
  latestSecurityScan: securityScanSchema.nullable(),
});
export type ExistingBuildState = z.infer<typeof existingBuildStateSchema>;

export type BuildState = NoState | ExistingBuildState;

export const initialBuildState: BuildState = { status: 'none' };

export const buildFields = Object.keys(existingBuildStateSchema.shape);
