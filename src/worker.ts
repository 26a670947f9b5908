import { loadEnv, ConfigError } from './config/env.js';
import { createLogger } from './observability/logger.js';
import { ProjectionService } from './projections/projection-service.js';
import { allProjections } from './projections/read-models/index.js';
import { openBackends } from './app/backends.js';

// `npm run worker`: runs the projections as their own process, so API and workers scale apart.
try {
  const env = loadEnv();
  const logger = createLogger(env.LOG_LEVEL);
  const backends = await openBackends(env, logger);
  const projections = new ProjectionService(backends.events, backends.readStore, allProjections(), { run: true, logger });
  await projections.start();
  logger.info({ projections: projections.projections.map((p) => p.name) }, 'worker running');
  const shutdown = async () => {
    await projections.stop();
    await backends.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
