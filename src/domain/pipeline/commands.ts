import { z } from 'zod';
import { commandSchema } from '../shared/event-schema.js';
import { emptySchema, environmentSchema, semverSchema, text, ulidSchema } from '../shared/schemas.js';
import { requestBuildSchema } from '../build/index.js';
import { strategySchema } from '../deployment/index.js';

const ONE_HOUR_MS = 3_600_000;

/**
 * POST /api/pipelines: what to build and where to deploy it. `bakeTimeMs` is how long each
 * traffic step is watched before the next one (0 moves on as soon as the step is recorded).
 */
export const pipelineRequestSchema = z
  .object({
    featureId: ulidSchema,
    commit: requestBuildSchema.shape.commit,
    environment: environmentSchema,
    strategy: strategySchema,
    version: semverSchema,
    bakeTimeMs: z.number().int().min(0).max(ONE_HOUR_MS).default(0),
  })
  .strict();
export type PipelineRequest = z.infer<typeof pipelineRequestSchema>;

/** Production is reached through staging: its gate needs a succeeded staging deployment. */
export const pipelineStageSchema = z.object({ environment: environmentSchema, deploymentId: ulidSchema }).strict();
export type PipelineStage = z.infer<typeof pipelineStageSchema>;

/** The request with the ids the pipeline will use, fixed at the start so every step can be repeated. */
export const startPipelineSchema = pipelineRequestSchema.extend({
  buildId: ulidSchema,
  stages: z.array(pipelineStageSchema).min(1).max(2),
});
export type StartPipeline = z.infer<typeof startPipelineSchema>;

export const pipelineCheckSchema = z.enum(['build', 'test_run', 'security_scan']);
export type PipelineCheck = z.infer<typeof pipelineCheckSchema>;

export const recordCheckSchema = z.object({ check: pipelineCheckSchema, passed: z.boolean(), detail: text(1, 500) }).strict();
export const recordDeploymentStartedSchema = pipelineStageSchema;
export const recordDeploymentSucceededSchema = pipelineStageSchema;
export const succeedPipelineSchema = emptySchema;
export const failPipelineSchema = z
  .object({ reason: text(1, 2000), deploymentId: ulidSchema.nullable(), rolledBack: z.boolean() })
  .strict();

export const pipelineCommandSchema = z.discriminatedUnion('type', [
  commandSchema('start', startPipelineSchema),
  commandSchema('recordCheck', recordCheckSchema),
  commandSchema('recordDeploymentStarted', recordDeploymentStartedSchema),
  commandSchema('recordDeploymentSucceeded', recordDeploymentSucceededSchema),
  commandSchema('succeed', succeedPipelineSchema),
  commandSchema('fail', failPipelineSchema),
]);
export type PipelineCommand = z.infer<typeof pipelineCommandSchema>;
