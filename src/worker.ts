import { loadEnv } from './config/env.js';
import { runProcess } from './app/run-process.js';
import { createLogger } from './observability/logger.js';
import { ProjectionService } from './projections/projection-service.js';
import { allProjections } from './projections/read-models/index.js';
import { openBackends } from './app/backends.js';
import { CommandBus } from './commands/command-bus.js';
import { commandBusOptions } from './commands/command-bus-options.js';
import { AgentService } from './app/agent-service.js';
import { createWorkBulkheads } from './resilience/index.js';
import { waitForBackends } from './app/wait-for-backends.js';
import { initTracing } from './observability/tracing.js';
import { LeaseStore } from './leases/lease-store.js';
import { WorkLeases } from './leases/work-leases.js';
import { SharedLogReader } from './consumer/shared-log-reader.js';

// `npm run worker`: runs the projections and the agents as their own process, so API and
// workers scale apart. Several workers share the work: each projection and agent runs in the
// one worker holding its lease.
await runProcess(async () => {
  const stopTracing = await initTracing('agent-ledger-worker');
  const env = loadEnv();
  const logger = createLogger(env.LOG_LEVEL);
  const backends = await openBackends(env, logger);
  await waitForBackends(backends.describe, logger);
  const leases = new WorkLeases(new LeaseStore(backends.readStore), { logger });
  // One reader of the log for every projection and agent of this worker.
  const feed = new SharedLogReader(backends.events, { logger });
  const projections = new ProjectionService(backends.events, backends.readStore, allProjections(), { run: true, logger, leases, feed });
  await projections.start();
  const bulkheads = createWorkBulkheads();
  const agents = new AgentService({
    events: backends.events,
    feed,
    readStore: backends.readStore,
    commands: new CommandBus(backends.events, undefined, commandBusOptions(env, backends.readStore)),
    projections,
    bulkhead: bulkheads.agents,
    logger,
    leases,
  });
  await agents.start();
  await leases.start();
  logger.info({ owner: leases.owner, projections: projections.projections.map((p) => p.name), agents: agents.status().map((a) => a.name) }, 'worker running');
  return async (signal) => {
    await leases.stop();
    await agents.stop();
    await projections.stop();
    await backends.close();
    await stopTracing();
    logger.info({ signal }, 'worker stopped');
  };
});
