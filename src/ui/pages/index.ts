import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ConsoleEnv } from '../console.js';
import { timelinePage } from './timeline.js';
import { aggregatePage } from './aggregate.js';
import { tracePage } from './trace.js';
import { pipelineRunFragment, pipelineRunPage, pipelinesPage } from './pipelines.js';
import { operationsPage, projectionRowsFragment } from './operations.js';
import { metricsPage } from './metrics.js';

export function registerConsolePages(app: OpenAPIHono<ConsoleEnv>): void {
  app.get('/ui', timelinePage);
  app.get('/ui/aggregates/:type/:id', aggregatePage);
  app.get('/ui/commands/:commandId', tracePage);
  app.get('/ui/pipelines', pipelinesPage);
  app.get('/ui/pipelines/:id', pipelineRunPage);
  app.get('/ui/pipelines/:id/view', pipelineRunFragment);
  app.get('/ui/metrics', metricsPage);
  app.get('/ui/operations', operationsPage);
  app.get('/ui/operations/rows', projectionRowsFragment);
}
