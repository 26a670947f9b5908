import { z } from 'zod';
import { commandSchema } from '../shared/event-schema.js';
import { emptySchema, environmentSchema, semverSchema, text, ulidSchema, type Empty } from '../shared/schemas.js';

// Command payloads exactly as a client sends them; the HTTP API validates bodies with these.

export const strategySchema = z.enum(['blue_green', 'canary', 'rolling']);
export type StrategyName = z.infer<typeof strategySchema>;

export const startDeploymentSchema = z
  .object({ buildId: ulidSchema, environment: environmentSchema, strategy: strategySchema, version: semverSchema })
  .strict();
export type StartDeployment = z.infer<typeof startDeploymentSchema>;

export const advanceDeploymentSchema = emptySchema;
export type AdvanceDeployment = Empty;

export const failDeploymentSchema = z.object({ reason: text(1, 2000) }).strict();
export type FailDeployment = z.infer<typeof failDeploymentSchema>;

export const rollbackDeploymentSchema = z.object({ reason: text(1, 2000) }).strict();
export type RollbackDeployment = z.infer<typeof rollbackDeploymentSchema>;

export const deploymentCommandSchema = z.discriminatedUnion('type', [
  commandSchema('start', startDeploymentSchema),
  commandSchema('advance', advanceDeploymentSchema),
  commandSchema('fail', failDeploymentSchema),
  commandSchema('rollback', rollbackDeploymentSchema),
]);
export type DeploymentCommand = z.infer<typeof deploymentCommandSchema>;
