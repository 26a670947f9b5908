import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.js';
import { commandContext, commandResponse, type ApiEnv } from '../request-context.js';
import { openapiRoute } from '../openapi-route.js';
import { problemResponse } from '../problem.js';
import { commandHeaders, commandPlanSchema, commandResultSchema, documentSchema, dryRunQuery, ULID } from '../schemas.js';
import { findCommand } from '../command-log.js';
import { publicDoc } from '../read-models.js';

const commandIdParam = z.object({
  commandId: z.string().regex(ULID, 'must be a ULID').openapi({ param: { name: 'commandId', in: 'path' } }),
});

interface EventRef {
  revision: number;
}

export function registerCommandRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/commands/{commandId}',
      tags: ['commands'],
      summary: 'A command from the command log: who, when, its events, and undo links',
      request: { params: commandIdParam },
      responses: {
        200: { description: 'the command', content: { 'application/json': { schema: documentSchema } } },
        404: problemResponse('unknown command'),
      },
    }),
    async (c) => {
      const { commandId } = c.req.valid('param') as z.infer<typeof commandIdParam>;
      const command = publicDoc(await findCommand(deps, commandId));
      const refs = command.events as EventRef[];
      // The log entry names the events; their data comes from the stream itself.
      const stored = await deps.events.readStream(String(command.streamName), { fromRevision: refs[0]!.revision, maxCount: refs.length });
      const events = stored.map((event) => ({
        revision: event.revision,
        position: event.position.toString(),
        type: event.type,
        data: event.data,
        eventId: event.id,
      }));
      return c.json({ ...command, events });
    },
  );

  openapiRoute(
    app,
    createRoute({
      method: 'post',
      path: '/api/commands/{commandId}/undo',
      tags: ['commands'],
      summary: 'Append the compensating events of a command (undoing an undo redoes)',
      request: {
        params: commandIdParam,
        query: dryRunQuery,
        headers: commandHeaders,
      },
      responses: {
        200: { description: 'compensated (or, with dryRun, the events it would append)', content: { 'application/json': { schema: z.union([commandResultSchema, commandPlanSchema]) } } },
        404: problemResponse('unknown command'),
        409: problemResponse('a later command changed what this one changed (named in the detail)'),
        422: problemResponse('the command recorded a fact and cannot be undone'),
      },
    }),
    async (c) => {
      const { commandId } = c.req.valid('param') as z.infer<typeof commandIdParam>;
      const command = await findCommand(deps, commandId);
      const target = { commandId, aggregateType: String(command.aggregateType), aggregateId: String(command.aggregateId) };
      if ((c.req.valid('query') as z.infer<typeof dryRunQuery>).dryRun === 'true') return c.json({ dryRun: true, ...(await deps.commands.planUndo(target)) });
      const context = commandContext(c);
      const result = await deps.commands.undo(target, context);
      return commandResponse(c, result);
    },
  );
}
