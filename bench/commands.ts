// The command path on one aggregate: (a) one hot aggregate under 50 connections (commands queued
// on a stream share one write), (b) command p99 on a 10,000-event stream against a 10-event one,
// each measured on a freshly started server (cold cache: the long stream loads from its snapshot).
// Prints the figures with the load average, then one JSON line.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../src/auth/tokens.js';
import { startChildServer, type ChildServer } from './lib/child-server.js';
import { featureCommandMix } from './lib/feature-command-mix.js';
import { LedgerClient } from './lib/ledger-client.js';
import { runLoad, type LoadFigures } from './lib/load.js';
import { seedLedger } from './lib/seed.js';

const HOT_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const HOT_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const LONG_STREAM_EVENTS = Number(process.env.BENCH_LONG_STREAM_EVENTS ?? 10_000);
const SHORT_STREAM_EVENTS = 10;
const COLD_SECONDS = Number(process.env.BENCH_COLD_SECONDS ?? 5);
const HOT_TARGET = 2_000;
const RATIO_TARGET = 1.5;

const log = (line: string) => process.stderr.write(`${line}\n`);
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).join(' ');
const authSecret = randomBytes(32).toString('hex');
const dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-bench-commands-'));
const { EVENTSTORE_URL: _eventStore, MONGODB_URL: _mongo, ...inherited } = process.env;
const start = () =>
  startChildServer('ledger-server.ts', { ...inherited, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', AUTH_SECRET: authSecret, RATE_LIMIT_RPS: '0', LOG_LEVEL: 'silent' });
const clientOf = async (server: ChildServer) => new LedgerClient(server.url, await issueToken(authSecret, 'bench', 'engineer'));
const updatesOf = (client: LedgerClient, requirementId: string, featureId: string) => ({
  headers: { authorization: client.authorization, 'content-type': 'application/json' },
  requests: [featureCommandMix({ requirementId, featureIds: [featureId] }, 0)],
});

/** One command's latency on a server that has not touched the stream yet, then p99 at one connection. */
async function coldStream(requirementId: string, featureId: string): Promise<{ firstMs: number; load: LoadFigures }> {
  const server = await start();
  try {
    const client = await clientOf(server);
    const began = performance.now();
    await client.command('PATCH', `/api/features/${featureId}`, { complexityPoints: 42 });
    const firstMs = performance.now() - began;
    const load = await runLoad(server.url, { connections: 1, seconds: COLD_SECONDS }, updatesOf(client, requirementId, featureId));
    return { firstMs, load };
  } finally {
    await server.stop();
  }
}

try {
  const loadBefore = loadAverage();
  const server = await start();
  let seeded: { requirementId: string; longId: string; shortId: string };
  let hot: LoadFigures;
  try {
    const client = await clientOf(server);
    const ledger = await seedLedger(client, 2);
    const [longId, shortId] = ledger.featureIds as [string, string];
    seeded = { requirementId: ledger.requirementId, longId, shortId };
    for (let i = 1; i < SHORT_STREAM_EVENTS; i++) await client.command('PATCH', `/api/features/${shortId}`, { complexityPoints: i });

    log(`(a) one hot aggregate: ${HOT_CONNECTIONS} connections for ${HOT_SECONDS} s`);
    hot = await runLoad(server.url, { connections: HOT_CONNECTIONS, seconds: HOT_SECONDS }, updatesOf(client, seeded.requirementId, longId), server.cpuSeconds);
    let revision = (await client.command('PATCH', `/api/features/${longId}`, { complexityPoints: 1 })).revision;
    while (revision + 1 < LONG_STREAM_EVENTS) {
      log(`    growing the hot stream to ${LONG_STREAM_EVENTS} events (at ${revision + 1})`);
      await runLoad(server.url, { connections: HOT_CONNECTIONS, seconds: 2 }, updatesOf(client, seeded.requirementId, longId));
      revision = (await client.command('PATCH', `/api/features/${longId}`, { complexityPoints: 1 })).revision;
    }
  } finally {
    await server.stop();
  }

  log(`(b) restart, then commands on the ${LONG_STREAM_EVENTS}-event stream; restart, then on the ${SHORT_STREAM_EVENTS}-event one`);
  const long = await coldStream(seeded.requirementId, seeded.longId);
  const short = await coldStream(seeded.requirementId, seeded.shortId);
  const summary = {
    loadAverage: { before: loadBefore, after: loadAverage() },
    hotAggregate: { connections: HOT_CONNECTIONS, commandsPerSecond: hot.okPerSecond, p99Ms: hot.p99Ms, non2xx: hot.non2xx, target: HOT_TARGET },
    longStream: {
      events: LONG_STREAM_EVENTS,
      p99Ms: long.load.p99Ms,
      shortP99Ms: short.load.p99Ms,
      p99Ratio: long.load.p99Ms / short.load.p99Ms,
      firstCommandMs: long.firstMs,
      shortFirstCommandMs: short.firstMs,
      target: RATIO_TARGET,
    },
  };
  const mark = (ok: boolean) => (ok ? 'meets' : 'MISSES');
  process.stdout.write(
    [
      `load average ${summary.loadAverage.before} (before) / ${summary.loadAverage.after} (after)`,
      `one hot aggregate, ${HOT_CONNECTIONS} connections: ${hot.okPerSecond.toFixed(0)} commands/s (p99 ${hot.p99Ms} ms, ${hot.non2xx} non-2xx) — target ≥ ${HOT_TARGET}: ${mark(hot.okPerSecond >= HOT_TARGET)}`,
      `cold p99 on ${LONG_STREAM_EVENTS} events ${long.load.p99Ms} ms ÷ on ${SHORT_STREAM_EVENTS} events ${short.load.p99Ms} ms = ${summary.longStream.p99Ratio.toFixed(2)} — target ≤ ${RATIO_TARGET}: ${mark(summary.longStream.p99Ratio <= RATIO_TARGET)}`,
      `first command after the restart: ${long.firstMs.toFixed(1)} ms on the long stream, ${short.firstMs.toFixed(1)} ms on the short one`,
      '',
    ].join('\n'),
  );
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (hot.non2xx > 0 || long.load.non2xx > 0 || short.load.non2xx > 0) {
    log('!!! some commands were not answered 2xx');
    process.exitCode = 1;
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
