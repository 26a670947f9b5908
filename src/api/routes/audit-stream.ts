import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { AppDeps } from '../deps.js';
import type { ApiEnv } from '../request-context.js';
import { openapiRoute } from '../openapi-route.js';
import { problemResponse } from '../problem.js';
import { auditFilterQuery } from '../audit-filters.js';
import { definedOnly, publicDoc } from '../read-models.js';
import { parsePosition, positionKey } from '../../events/positions.js';
import { ApiError } from '../error-handler.js';
import type { Filter } from '../../readstore/port.js';

const POLL_MS = 400;
const HEARTBEAT_MS = 15_000;
const BATCH = 200;

/** One server-sent event of the stream (keep-alive comments are not events). */
const auditEventSchema = z.object({
  event: z.literal('audit'),
  id: z.string().openapi({ description: 'the entry position, for Last-Event-ID' }),
  data: z.string().openapi({ description: 'the audit entry as JSON' }),
});

const streamQuery = auditFilterQuery.extend({
  after: z.string().regex(/^\d{1,30}$/, 'must be a position from this stream').optional().openapi({ description: 'Start after this position (what Last-Event-ID does, for clients that cannot set headers)' }),
});

/**
 * GET /api/audit/stream: the audit timeline as server-sent events, oldest first from where the
 * client is. Each event is `event: audit`, `id: <position>`, `data: <entry JSON>`, so a reconnecting
 * EventSource resumes exactly after the last entry it saw. Without a position it starts at the
 * head of the log (only what happens from now on).
 */
export function registerAuditStreamRoute(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/audit/stream',
      tags: ['audit'],
      summary: 'The audit timeline live, as server-sent events (same filters; resumable by Last-Event-ID)',
      request: {
        query: streamQuery,
        headers: z.object({ 'last-event-id': z.string().regex(/^\d{1,30}$/, 'must be a position from this stream').optional().openapi({ description: 'Resume after this position' }) }),
      },
      responses: {
        200: { description: 'text/event-stream of `audit` events whose id is the entry position', content: { 'text/event-stream': { schema: auditEventSchema } } },
        400: problemResponse('invalid query or position'),
      },
    }),
    async (c) => {
      const { after, from, to, ...filters } = c.req.valid('query') as z.infer<typeof streamQuery>;
      const resumeFrom = c.req.header('last-event-id') ?? after;
      const audit = deps.projections.collection('audit');
      let lastKey: string;
      if (resumeFrom !== undefined) {
        const position = parsePosition(resumeFrom);
        if (position === null) {
          throw new ApiError(400, 'Last-Event-ID (or after) must be a position from this stream', { errors: [{ path: 'header.last-event-id', message: 'invalid position' }] });
        }
        lastKey = positionKey(position);
      } else {
        // "Now" is the head of the event log: entries the projection has yet to write are not news.
        const head = await deps.events.headPosition();
        lastKey = head === null ? '' : positionKey(head);
      }
      const base: Filter = definedOnly(filters);
      const at: Record<string, string> = {};
      if (from) at.$gte = new Date(from).toISOString();
      if (to) at.$lte = new Date(to).toISOString();
      if (from || to) base.at = at;

      return streamSSE(c, async (stream) => {
        let quietSince = Date.now();
        while (!stream.aborted) {
          const entries = await audit.find({ ...base, id: { $gt: lastKey } }, { sort: [['id', 1]], limit: BATCH });
          for (const entry of entries) {
            const doc = publicDoc(entry);
            await stream.writeSSE({ event: 'audit', id: String(doc.position), data: JSON.stringify(doc) });
            lastKey = entry.id;
          }
          if (entries.length === BATCH) continue;
          if (entries.length > 0) quietSince = Date.now();
          else if (Date.now() - quietSince > HEARTBEAT_MS) {
            // A comment line keeps proxies from closing an idle stream.
            await stream.write(': keep-alive\n\n');
            quietSince = Date.now();
          }
          await stream.sleep(POLL_MS);
        }
      });
    },
  );
}
