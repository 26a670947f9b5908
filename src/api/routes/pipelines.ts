import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { ulid } from 'ulid';
import { pipeline, pipelineRequestSchema, type PipelineRequest, type StartPipeline } from '../../domain/pipeline/index.js';
import { PipelineCommands } from '../../pipelines/pipeline-commands.js';
import type { AppDeps } from '../deps.js';
import { commandContext, type ApiEnv } from '../request-context.js';
import { openapiRoute } from '../openapi-route.js';
import { problemResponse } from '../problem.js';
import { commandHeaders, commandResultSchema, ULID } from '../schemas.js';
import { readModelRoutes } from './read-model-route.js';

const ulidFilter = z.string().regex(ULID, 'must be a ULID');

/**
 * POST /api/pipelines starts a run: it records the request with the ids of the build and of each
 * deployment, and the pipeline agent takes it from there. GET /api/pipelines[/{id}] show runs.
 */
export function registerPipelineRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  const pipelines = new PipelineCommands(deps.commands);
  openapiRoute(
    app,
    createRoute({
      method: 'post',
      path: '/api/pipelines',
      tags: ['pipelines'],
      summary: 'Start a pipeline run: build, wait for test run and scan, check the gates, deploy step by step',
      request: {
        headers: commandHeaders,
        body: { required: true, content: { 'application/json': { schema: pipelineRequestSchema } } },
      },
      responses: {
        201: { description: 'the run started; every step carries `correlationId`', content: { 'application/json': { schema: commandResultSchema.extend({ correlationId: z.string() }) } } },
        400: problemResponse('invalid input'),
        422: problemResponse('the feature is missing or deleted'),
        503: problemResponse('a backend is down'),
      },
    }),
    async (c) => {
      const context = commandContext(c, { creates: true });
      const request = c.req.valid('json') as PipelineRequest;
      const id = ulid();
      const result = await pipelines.execute(id, { type: 'start', data: withIds(id, request) }, context);
      c.header('etag', `"${result.revision}"`);
      const { revision, position, commandId, events } = result;
      return c.json({ id, revision, position, commandId, events, correlationId: context.correlationId }, 201);
    },
  );
  readModelRoutes(app, deps, {
    path: 'pipelines',
    readModel: 'pipelines',
    aggregate: pipeline,
    filters: z.object({
      status: z.enum(['running', 'succeeded', 'failed']).optional(),
      featureId: ulidFilter.optional(),
      environment: z.enum(['staging', 'production']).optional(),
    }),
  });
}

/** The build shares the run's id; production is reached through a staging deployment first. */
function withIds(id: string, request: PipelineRequest): StartPipeline {
  const stages: StartPipeline['stages'] = [{ environment: 'staging', deploymentId: ulid() }];
  if (request.environment === 'production') stages.push({ environment: 'production', deploymentId: ulid() });
  return { ...request, buildId: id, stages };
}
