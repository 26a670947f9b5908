import { loadEnv } from '../../../src/config/env.js';
import { startApi } from '../../../src/app/start-api.js';
import { serveUntilStopped } from './child-protocol.js';

// The agent-ledger API with its projections in one process, configured by the parent's env.
const api = await startApi(loadEnv(process.env), { runProjections: true });
await api.ready;
serveUntilStopped(api.port, () => api.stop());
