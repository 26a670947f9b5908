import { z } from 'zod';
import { eventSchema } from '../shared/event-schema.js';
import { environmentSchema } from '../shared/schemas.js';
import { strategySchema } from '../deployment/index.js';
import { pipelineCheckSchema } from './commands.js';

// Event data as recorded; each event says what an audit line or the read model needs.

const stageSchema = z.object({ environment: environmentSchema, deploymentId: z.string() });

export const pipelineStartedSchema = z.object({
  featureId: z.string(),
  commit: z.string(),
  environment: environmentSchema,
  strategy: strategySchema,
  version: z.string(),
  bakeTimeMs: z.number(),
  buildId: z.string(),
  stages: z.array(stageSchema),
});
/** The pipeline saw an awaited result recorded (by external agents, through the API). */
export const pipelineCheckRecordedSchema = z.object({ check: pipelineCheckSchema, passed: z.boolean(), detail: z.string() });
export const pipelineDeploymentStartedSchema = stageSchema;
export const pipelineDeploymentSucceededSchema = stageSchema;
export const pipelineSucceededSchema = z.object({ environment: environmentSchema, version: z.string() });
/** `rolledBack` when a deployment had started and was rolled back; null deployment when none had. */
export const pipelineFailedSchema = z.object({ reason: z.string(), deploymentId: z.string().nullable(), rolledBack: z.boolean() });

export const pipelineEventSchema = z.discriminatedUnion('type', [
  eventSchema('PipelineStarted', pipelineStartedSchema),
  eventSchema('PipelineCheckRecorded', pipelineCheckRecordedSchema),
  eventSchema('PipelineDeploymentStarted', pipelineDeploymentStartedSchema),
  eventSchema('PipelineDeploymentSucceeded', pipelineDeploymentSucceededSchema),
  eventSchema('PipelineSucceeded', pipelineSucceededSchema),
  eventSchema('PipelineFailed', pipelineFailedSchema),
]);
export type PipelineEvent = z.infer<typeof pipelineEventSchema>;
