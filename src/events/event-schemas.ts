import type { z } from 'zod';
import { eventSchemasByAggregate } from './typed-events.js';

/** The current data schema of every event type the domain records, by type. */
export const eventDataSchemas: ReadonlyMap<string, z.ZodType> = new Map(
  Object.values(eventSchemasByAggregate).flatMap((union) =>
    union.options.map((option): [string, z.ZodType] => [option.shape.type.value, option.shape.data]),
  ),
);
