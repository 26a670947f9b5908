import { z } from 'zod';

/** `{ type: '<EventType>', data }`: one member of an aggregate's discriminated union of events. */
export function eventSchema<Type extends string, Data extends z.ZodType>(type: Type, data: Data) {
  return z.object({ type: z.literal(type), data });
}

/** `{ type: '<command>', data }`: one member of an aggregate's discriminated union of commands. */
export function commandSchema<Type extends string, Data extends z.ZodType>(type: Type, data: Data) {
  return z.object({ type: z.literal(type), data });
}
