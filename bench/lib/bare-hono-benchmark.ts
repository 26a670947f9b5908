import type autocannon from 'autocannon';
import { startChildServer } from './child-server.js';
import { runLoad, type LoadFigures } from './load.js';
import type { BenchSettings } from './settings.js';

/**
 * The ceiling to compare with: a bare Hono JSON route on @hono/node-server, loaded exactly like
 * the ledger (same connections, duration, headers, and a body rebuilt per request like theirs).
 */
export interface BareHonoBenchmark {
  load: LoadFigures;
  /** One connection, like the ledger's one-connection run; null when skipped. */
  single: LoadFigures | null;
}

export async function benchmarkBareHono(settings: BenchSettings, log: (line: string) => void): Promise<BareHonoBenchmark> {
  const server = await startChildServer('bare-hono-server.ts', { ...process.env });
  try {
    const request = {
      headers: { authorization: 'Bearer unused', 'content-type': 'application/json' },
      requests: [echoRequest()],
    };
    const connections = settings.BENCH_CONNECTIONS;
    if (settings.BENCH_WARMUP_SECONDS > 0) {
      log(`(b) bare Hono: warming up for ${settings.BENCH_WARMUP_SECONDS} s`);
      await runLoad(server.url, { connections, seconds: settings.BENCH_WARMUP_SECONDS }, request);
    }
    log(`(b) bare Hono: ${connections} connections for ${settings.BENCH_SECONDS} s`);
    const load = await runLoad(server.url, { connections, seconds: settings.BENCH_SECONDS }, request, server.cpuSeconds);
    let single: LoadFigures | null = null;
    if (settings.BENCH_SINGLE_SECONDS > 0) {
      log(`(b) bare Hono: 1 connection for ${settings.BENCH_SINGLE_SECONDS} s`);
      single = await runLoad(server.url, { connections: 1, seconds: settings.BENCH_SINGLE_SECONDS }, request, server.cpuSeconds);
    }
    return { load, single };
  } finally {
    await server.stop();
  }
}

function echoRequest(): autocannon.RequestSpec {
  return {
    setupRequest: (request) => ({
      ...request,
      method: 'POST',
      path: '/echo',
      body: JSON.stringify({ complexityPoints: 1 + Math.floor(Math.random() * 100) }),
    }),
  };
}
