import { z } from 'zod';
import { commandSchema } from '../shared/event-schema.js';
import { text, ulidSchema } from '../shared/schemas.js';

// Command payloads exactly as a client sends them; the HTTP API validates bodies with these.

export const severitySchema = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof severitySchema>;

export const requestBuildSchema = z
  .object({
    featureId: ulidSchema,
    // No regex flags: the pattern is published in the OpenAPI document, where flags do not exist.
    commit: z.string().regex(/^[0-9a-fA-F]{7,40}$/, 'must be a commit hash of 7 to 40 hexadecimal characters'),
    /** Host and path, so the same owner/name on two hosts stays two repositories. */
    repository: z
      .string()
      .max(300)
      .regex(/^[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+(\/[\w.-]+){2,}$/, 'must be a repository as host/owner/name, e.g. github.com/acme/shop')
      .optional(),
  })
  .strict();
export type RequestBuild = z.infer<typeof requestBuildSchema>;

export const buildOutcomeSchema = z.enum(['succeeded', 'failed']);

export const recordBuildResultSchema = z
  .object({ outcome: buildOutcomeSchema, durationMs: z.number().int().min(0) })
  .strict();
export type RecordBuildResult = z.infer<typeof recordBuildResultSchema>;

export const recordTestRunSchema = z
  .object({
    passed: z.number().int().min(0),
    failed: z.number().int().min(0),
    coverage: z.number().min(0).max(100),
  })
  .strict();
export type RecordTestRun = z.infer<typeof recordTestRunSchema>;

export const findingSchema = z.object({ id: text(1, 200), severity: severitySchema }).strict();
export type Finding = z.infer<typeof findingSchema>;

/** A clean scan has no findings. */
export const recordSecurityScanSchema = z.object({ findings: z.array(findingSchema) }).strict();
export type RecordSecurityScan = z.infer<typeof recordSecurityScanSchema>;

export const buildCommandSchema = z.discriminatedUnion('type', [
  commandSchema('request', requestBuildSchema),
  commandSchema('recordResult', recordBuildResultSchema),
  commandSchema('recordTestRun', recordTestRunSchema),
  commandSchema('recordSecurityScan', recordSecurityScanSchema),
]);
export type BuildCommand = z.infer<typeof buildCommandSchema>;
