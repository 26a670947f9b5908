import { randomBytes } from 'node:crypto';
import { issueToken } from '../../src/auth/tokens.js';
import { startChildServer } from './child-server.js';
import { featureCommandMix } from './feature-command-mix.js';
import { LedgerClient } from './ledger-client.js';
import { runLoad, type LoadFigures } from './load.js';
import { seedLedger } from './seed.js';
import { delayDuring, scrapeDelays, type ReadModelDelay } from './read-model-delay.js';
import type { BenchSettings } from './settings.js';

export interface LedgerBenchmark {
  seededFeatures: number;
  /** Null when BENCH_WARMUP_SECONDS is 0. Its figures are not the measurement, only checked. */
  warmup: LoadFigures | null;
  load: LoadFigures;
  /** The same commands from one connection: the latency of a command with nothing queued. Null when skipped. */
  single: LoadFigures | null;
  /** Acknowledgement → read model during the 50-connection load, from the server's histogram. */
  delay: ReadModelDelay;
}

/** Feature commands over HTTP against the API on the embedded stores in `dataDir`. */
export async function benchmarkLedger(settings: BenchSettings, dataDir: string, log: (line: string) => void): Promise<LedgerBenchmark> {
  const authSecret = randomBytes(32).toString('hex');
  // The embedded stores are the subject, whatever backends this shell points at.
  const { EVENTSTORE_URL: _eventStore, MONGODB_URL: _mongo, ...inherited } = process.env;
  const server = await startChildServer('ledger-server.ts', {
    ...inherited,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    AUTH_SECRET: authSecret,
    RATE_LIMIT_RPS: '0',
    LOG_LEVEL: 'silent',
  });
  try {
    const client = new LedgerClient(server.url, await issueToken(authSecret, 'bench', 'engineer'));
    log(`seeding one approved requirement and ${settings.BENCH_FEATURES} features`);
    const seeded = await seedLedger(client, settings.BENCH_FEATURES);
    const request = {
      headers: { authorization: client.authorization, 'content-type': 'application/json' },
      requests: [featureCommandMix(seeded, settings.BENCH_CREATE_SHARE)],
    };
    const connections = settings.BENCH_CONNECTIONS;
    let warmup: LoadFigures | null = null;
    if (settings.BENCH_WARMUP_SECONDS > 0) {
      log(`(a) ledger: warming up for ${settings.BENCH_WARMUP_SECONDS} s`);
      warmup = await runLoad(server.url, { connections, seconds: settings.BENCH_WARMUP_SECONDS }, request);
    }
    log(`(a) ledger: ${connections} connections for ${settings.BENCH_SECONDS} s`);
    const delaysBefore = await scrapeDelays(server.url);
    const load = await runLoad(server.url, { connections, seconds: settings.BENCH_SECONDS }, request, server.cpuSeconds);
    // The last events of the load reach their read models within a moment.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const delay = delayDuring(delaysBefore, await scrapeDelays(server.url));
    let single: LoadFigures | null = null;
    if (settings.BENCH_SINGLE_SECONDS > 0) {
      log(`(a) ledger: 1 connection for ${settings.BENCH_SINGLE_SECONDS} s`);
      single = await runLoad(server.url, { connections: 1, seconds: settings.BENCH_SINGLE_SECONDS }, request, server.cpuSeconds);
    }
    return { seededFeatures: seeded.featureIds.length, warmup, load, single, delay };
  } finally {
    await server.stop();
  }
}
