import { z } from '@hono/zod-openapi';

// Schemas shared by routes: ids, pagination, command results.
export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const idParam = z.object({
  id: z.string().regex(ULID, 'must be a ULID').openapi({ param: { name: 'id', in: 'path' }, example: '01JD4Z3N8Q9V7W2X5Y6Z7A8B9C' }),
});

export const consistencyQuery = z.object({
  consistentWith: z.string().optional().openapi({ description: 'Wait (≤ 5 s) until the read model reached this command position' }),
});

export const pageQuery = consistencyQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export const commandResultSchema = z
  .object({
    id: z.string(),
    revision: z.number().int(),
    position: z.string(),
    commandId: z.string(),
    events: z.array(z.string()),
  })
  .openapi('CommandResult');

export const documentSchema = z.record(z.string(), z.unknown()).openapi('ReadModelDocument');

export const pageSchema = z.object({ items: z.array(documentSchema), nextCursor: z.string().nullable() }).openapi('Page');

export const dryRunQuery = z.object({
  dryRun: z.enum(['true', 'false']).optional().openapi({ description: 'true: answer 200 with the events it would append, and append nothing' }),
});

export const commandPlanSchema = z
  .object({
    dryRun: z.literal(true),
    aggregateType: z.string(),
    id: z.string(),
    revision: z.number().int().openapi({ description: 'the revision the preview was decided on' }),
    events: z.array(z.object({ type: z.string(), data: z.unknown() })),
  })
  .openapi('CommandPlan');
