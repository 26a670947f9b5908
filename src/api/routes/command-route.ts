import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { ZodType } from 'zod';
import type { AppDeps } from '../deps.js';
import { commandContext, commandResponse, type ApiEnv } from '../request-context.js';
import { openapiRoute } from '../openapi-route.js';
import { problemResponse } from '../problem.js';
import { commandHeaders, commandResultSchema, idParam } from '../schemas.js';

export interface CommandRouteSpec {
  method: 'post' | 'patch' | 'delete';
  /** OpenAPI path, e.g. '/api/features/{id}'. */
  path: string;
  aggregateType: string;
  commandType: string;
  /** The domain's payload schema (an empty strict object for commands without a payload). */
  body: ZodType;
  /** Commands without a payload accept no body at all, or `{}`. */
  bodyOptional?: boolean;
  summary: string;
}

/** One documented route per command: validate → dispatch through the command bus → result. */
export function commandRoute(app: OpenAPIHono<ApiEnv>, deps: AppDeps, spec: CommandRouteSpec): void {
  const hasId = spec.path.includes('{id}');
  const route = createRoute({
    method: spec.method,
    path: spec.path,
    tags: [spec.aggregateType],
    summary: spec.summary,
    request: {
      ...(hasId ? { params: idParam } : {}),
      headers: commandHeaders,
      body: { required: !spec.bodyOptional, content: { 'application/json': { schema: documentedBody(spec.body) } } },
    },
    responses: {
      200: { description: 'command applied', content: { 'application/json': { schema: commandResultSchema } } },
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
    const result = await deps.commands.dispatch({
      aggregateType: spec.aggregateType,
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
  if (nothingRequired && !body.safeParse({}).success) return body.openapi({ minProperties: 1 });
  return body;
}
