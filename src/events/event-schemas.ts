import type { z } from 'zod';
import { requirementEventSchema } from '../domain/requirement/events.js';
import { featureEventSchema } from '../domain/feature/events.js';
import { buildEventSchema } from '../domain/build/events.js';
import { deploymentEventSchema } from '../domain/deployment/events.js';
import { incidentEventSchema } from '../domain/incident/events.js';
import { testPlanEventSchema } from '../domain/testplan/events.js';
import { pipelineEventSchema } from '../domain/pipeline/events.js';

/** Each aggregate's events as a union of `{ type, data }`; a new aggregate adds its union here. */
const aggregateEventSchemas = [
  requirementEventSchema,
  featureEventSchema,
  buildEventSchema,
  deploymentEventSchema,
  incidentEventSchema,
  testPlanEventSchema,
  pipelineEventSchema,
];

/** The current data schema of every event type, by type. */
export const eventDataSchemas: ReadonlyMap<string, z.ZodType> = new Map(
  aggregateEventSchemas.flatMap((union) => union.options.map((option): [string, z.ZodType] => [option.shape.type.value, option.shape.data])),
);
