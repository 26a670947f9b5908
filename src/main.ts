import { loadEnv } from './config/env.js';
import { startApi } from './app/start-api.js';
import { runProcess } from './app/run-process.js';
import { announceListening, announceStopped } from './app/banner.js';
import { initTracing } from './observability/tracing.js';

// `npm start`: the API; with the embedded event store it also runs projections in-process,
// unless RUN_PROJECTIONS=false leaves them to workers (`npm run worker`) on the same DATA_DIR.
await runProcess(async () => {
  const stopTracing = await initTracing('agent-ledger-api');
  const env = loadEnv();
  const runProjections = process.env.RUN_PROJECTIONS === undefined ? !env.EVENTSTORE_URL : process.env.RUN_PROJECTIONS === 'true';
  const api = await startApi(env, { runProjections });
  announceListening(api.url, env);
  api.ready.catch((error: unknown) => {
    // Projections could not start after their backends answered: let the supervisor restart us.
    console.error(`could not start projections: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  return async (signal) => {
    await api.stop();
    await stopTracing();
    announceStopped(signal);
  };
});
