import { z } from 'zod';
import type { NoState } from '../shared/existence.js';
import { environmentSchema } from '../shared/schemas.js';
import { strategySchema } from './commands.js';

export const deploymentStatusSchema = z.enum(['in_progress', 'succeeded', 'failed', 'rolled_back']);

/** `step` counts the traffic shifts made (0 right after the start); `percent` is the latest one. */
export const existingDeploymentStateSchema = z.object({
  status: deploymentStatusSchema,
  buildId: z.string(),
  featureId: z.string(),
  environment: environmentSchema,
  strategy: strategySchema,
  version: z.string(),
  step: z.number(),
  percent: z.number(),
  failureReason: z.string().nullable(),
  rollbackReason: z.string().nullable(),
});
export type ExistingDeploymentState = z.infer<typeof existingDeploymentStateSchema>;

export type DeploymentState = NoState | ExistingDeploymentState;

export const initialDeploymentState: DeploymentState = { status: 'none' };
