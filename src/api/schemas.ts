import { z } from '@hono/zod-openapi';
import { cursorQuery } from './cursor.js';

// Schemas shared by routes: ids, pagination, command results.
export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const idParam = z.object({
  id: z.string().regex(ULID, 'must be a ULID').openapi({ param: { name: 'id', in: 'path' }, example: '01JD4Z3N8Q9V7W2X5Y6Z7A8B9C' }),
});

/**
 * A query-string integer: plain decimal digits only, so `0x10`, `1e3`, `+1` or a blank are a 400
 * rather than whatever number coercion makes of them.
 */
export function queryInteger(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,15}$/, 'must be a decimal integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .openapi({ type: 'integer', minimum: min, maximum: max });
}

export const consistencyQuery = z.object({
  consistentWith: z.string().regex(/^\d{1,30}$/, 'must be a position returned by a command').optional().openapi({ description: 'Wait (≤ 5 s) until the read model reached this command position' }),
});

export const pageQuery = consistencyQuery.extend({
  limit: queryInteger(1, 500).default(50),
  cursor: cursorQuery.optional(),
});

// ISO 8601 in UTC has four-digit years: an instant outside them would serialise as `+010000-…`,
// which neither compares as a time nor sorts as one among stored stamps.
const LATEST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');
const EARLIEST_INSTANT = Date.parse('0000-01-01T00:00:00.000Z');

/** A date-time with an offset, between years 0000 and 9999 once in UTC; given back in UTC. */
export const instantQuery = z.iso
  .datetime({ offset: true })
  .refine((value) => {
    const ms = Date.parse(value);
    return ms >= EARLIEST_INSTANT && ms <= LATEST_INSTANT;
  }, 'must lie between years 0000 and 9999 in UTC')
  .transform((value) => new Date(value).toISOString());

/** An instant moved by `ms`, kept within the four-digit years (so it still sorts as a stamp). */
export function shiftInstant(iso: string, ms: number): string {
  return new Date(Math.min(LATEST_INSTANT, Math.max(EARLIEST_INSTANT, Date.parse(iso) + ms))).toISOString();
}

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

/** Headers every command takes; their patterns are the ones the API enforces. */
export const commandHeaders = z.object({
  'if-match': z
    .string()
    .regex(/^(?:\*|(?:W\/)?"(?:0|[1-9]\d{0,14})")$/, 'must be an ETag this API issued, or *')
    .optional()
    // format "etag" names the quoted forms for generators that cannot read the pattern in a header.
    .openapi({ format: 'etag', description: 'ETag of the revision you saw (409 if it changed), or * (412 on a create)' }),
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/, 'must be 1..200 printable ASCII characters')
    .optional()
    .openapi({ description: 'Retry-safe key: a retry returns the first response' }),
  'x-correlation-id': z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1..128 characters of [A-Za-z0-9._:-]').optional(),
});

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
