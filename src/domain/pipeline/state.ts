import { z } from 'zod';
import type { NoState } from '../shared/existence.js';
import { environmentSchema } from '../shared/schemas.js';
import { strategySchema } from '../deployment/index.js';

export const pipelineStatusSchema = z.enum(['running', 'succeeded', 'failed']);
export const stageStatusSchema = z.enum(['pending', 'started', 'succeeded']);

const checkResultSchema = z.object({ passed: z.boolean(), detail: z.string() }).nullable();

export const existingPipelineStateSchema = z.object({
  status: pipelineStatusSchema,
  featureId: z.string(),
  commit: z.string(),
  environment: environmentSchema,
  strategy: strategySchema,
  version: z.string(),
  bakeTimeMs: z.number(),
  buildId: z.string(),
  stages: z.array(z.object({ environment: environmentSchema, deploymentId: z.string(), status: stageStatusSchema })),
  checks: z.object({ build: checkResultSchema, test_run: checkResultSchema, security_scan: checkResultSchema }),
  failureReason: z.string().nullable(),
  rolledBack: z.boolean(),
});
export type ExistingPipelineState = z.infer<typeof existingPipelineStateSchema>;
export type PipelineState = NoState | ExistingPipelineState;

export const initialPipelineState: PipelineState = { status: 'none' };

export const pipelineFields = Object.keys(existingPipelineStateSchema.shape);
