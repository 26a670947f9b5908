import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import type { AppDeps } from '../deps.js';
import { commandContext, commandResponse, type ApiEnv } from '../request-context.js';
import { openapiRoute } from '../openapi-route.js';
import { problemResponse } from '../problem.js';
import { commandHeaders, commandPlanSchema, commandResultSchema, dryRunQuery, idParam } from '../schemas.js';
import type { AggregateModule } from '../../domain/aggregate.js';
import type { DomainCommand } from '../../domain/decider.js';

export interface CommandRouteSpec<Command extends DomainCommand> {
  method: 'post' | 'patch' | 'delete';
  /** OpenAPI path, e.g. '/api/features/{id}'. */
  path: string;
  /** The aggregate the command goes to; its name tags the route. */
  aggregate: AggregateModule<unknown, Command>;
  /** One of the aggregate's own command types. */
  commandType: Command['type'];
  /** The domain's payload schema (an empty strict object for commands without a payload). */
  body: ZodType;
  /** Commands without a payload accept no body at all, or `{}`. */
  bodyOptional?: boolean;
  /** Documented media types beside JSON, each handled before this route (e.g. JUnit XML). */
  otherBodies?: Record<string, { schema: { type: 'string' | 'object'; description: string } }>;
  summary: string;
  /** Accepts ?dryRun=true: answers with the events it would append, appending nothing. */
  dryRun?: boolean;
}

/** One documented route per command: validate → dispatch through the command bus → result. */
export function commandRoute<Command extends DomainCommand>(app: OpenAPIHono<ApiEnv>, deps: AppDeps, spec: CommandRouteSpec<Command>): void {
  const hasId = spec.path.includes('{id}');
  const route = createRoute({
    method: spec.method,
    path: spec.path,
    // One tag per resource, the same as its collection's queries (e.g. 'features').
    tags: [`${spec.aggregate.name}s`],
    summary: spec.summary,
    request: {
      ...(hasId ? { params: idParam } : {}),
      ...(spec.dryRun ? { query: dryRunQuery } : {}),
      headers: commandHeaders,
      body: { required: !spec.bodyOptional, content: { 'application/json': { schema: documentedBody(spec.body) }, ...spec.otherBodies } },
    },
    responses: {
      200: { description: 'command applied', content: { 'application/json': { schema: spec.dryRun ? z.union([commandResultSchema, commandPlanSchema]) : commandResultSchema } } },
      201: { description: 'created', content: { 'application/json': { schema: commandResultSchema } } },
      400: problemResponse('invalid input'),
      401: problemResponse('no or bad token'),
      403: problemResponse('role too low'),
      404: problemResponse('unknown id'),
      409: problemResponse('concurrency conflict'),
      415: problemResponse('not JSON'),
      422: problemResponse('a domain rule refused the command'),
      503: problemResponse('a backend is down'),
    },
  });
  openapiRoute(app, route, async (c) => {
    const context = commandContext(c, { creates: !hasId });
    const id = hasId ? (c.req.valid('param') as { id: string }).id : undefined;
    const data: unknown = c.req.valid('json') ?? {};
    if (spec.dryRun && id !== undefined && (c.req.valid('query') as z.infer<typeof dryRunQuery>).dryRun === 'true') {
      return c.json({ dryRun: true, ...(await deps.commands.plan({ aggregateType: spec.aggregate.name, id, command: { type: spec.commandType, data } })) });
    }
    const result = await deps.commands.dispatch({
      aggregateType: spec.aggregate.name,
      id,
      command: { type: spec.commandType, data },
      context,
    });
    return commandResponse(c, result);
  });
}

/**
 * A partial update refuses an empty object though none of its fields is required: the document
 * says so with minProperties, which the zod refinement alone cannot express.
 */
function documentedBody(body: ZodType): ZodType {
  const isObject = body instanceof z.ZodObject;
  const nothingRequired = isObject && Object.values(body.shape).every((field) => (field as ZodType).safeParse(undefined).success);
  // zod's own metadata, which the OpenAPI generator reads: `.openapi()` exists only on schemas
  // built after @hono/zod-openapi extended zod, and the domain's schemas may be built before.
  if (nothingRequired && !body.safeParse({}).success) return body.meta({ minProperties: 1 });
  return body;
}
