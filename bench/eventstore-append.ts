// Benchmark of the embedded event store's appends: single-event appends one at a time (one
// durable transaction each) against 50 concurrent appenders (whose appends share group commits).
// The machine's load average is printed too: other processes on the cores move these numbers.
// Run: npx tsx bench/eventstore-append.ts [seconds per scenario, default 3]   — prints JSON.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import type { EventToAppend } from '../src/eventstore/port.js';
import { openSqliteEventStore, type SqliteEventStore } from '../src/eventstore/sqlite/index.js';

const CONCURRENT_APPENDERS = 50;
const secondsPerScenario = Number(process.argv[2] ?? 3);

function featureUpdated(sequence: number): EventToAppend {
  return {
    id: randomUUID(),
    type: 'FeatureUpdated',
    data: { name: `feature ${sequence}`, complexityPoints: sequence % 100 },
    metadata: { actor: 'agent:benchmark', actorRole: 'engineer', commandId: ulid(), at: new Date().toISOString() },
  };
}

function percentile(sortedMs: number[], fraction: number): number {
  const value = sortedMs[Math.min(sortedMs.length - 1, Math.floor(sortedMs.length * fraction))] ?? 0;
  return Math.round(value * 1000) / 1000;
}

/** Each appender appends single events to its own stream, awaiting each before the next. */
async function measure(store: SqliteEventStore, appenders: number) {
  const latenciesMs: number[] = [];
  const transactionsBefore = store.committedTransactions;
  const started = performance.now();
  const deadline = started + secondsPerScenario * 1000;
  await Promise.all(
    Array.from({ length: appenders }, async () => {
      const stream = `feature-${ulid()}`;
      for (let revision = 0; performance.now() < deadline; revision++) {
        const appendStarted = performance.now();
        await store.append(stream, [featureUpdated(revision)], revision === 0 ? 'no_stream' : revision - 1);
        latenciesMs.push(performance.now() - appendStarted);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const transactions = store.committedTransactions - transactionsBefore;
  latenciesMs.sort((a, b) => a - b);
  return {
    appenders,
    appends: latenciesMs.length,
    seconds: Math.round(seconds * 100) / 100,
    appendsPerSecond: Math.round(latenciesMs.length / seconds),
    transactions,
    appendsPerTransaction: Math.round((latenciesMs.length / transactions) * 10) / 10,
    latencyMs: { p50: percentile(latenciesMs, 0.5), p99: percentile(latenciesMs, 0.99) },
  };
}

const directory = mkdtempSync(join(tmpdir(), 'agent-ledger-eventstore-bench-'));
try {
  const store = openSqliteEventStore({ file: join(directory, 'events.sqlite') });
  const oneAtATime = await measure(store, 1);
  const concurrent = await measure(store, CONCURRENT_APPENDERS);
  await store.close();
  const report = {
    benchmark: 'sqlite event store: single-event appends',
    secondsPerScenario,
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
    oneAtATime,
    concurrent,
    speedup: Math.round((concurrent.appendsPerSecond / oneAtATime.appendsPerSecond) * 10) / 10,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
