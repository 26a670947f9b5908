// Audit timeline latency against the size of the log (issue: the cost must not grow with it).
// For each log size: append N events through the event store port, project them into the audit
// read model, then time GET /api/audit in-process (app.fetch: no network noise) for the
// unfiltered first page and each single filter. Prints a table, then one JSON line.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ulid } from 'ulid';
import { createApp } from '../src/api/app.js';
import { issueToken } from '../src/auth/tokens.js';
import { CommandBus } from '../src/commands/command-bus.js';
import { openSqliteEventStore } from '../src/eventstore/sqlite/index.js';
import type { EventToAppend } from '../src/eventstore/port.js';
import { openEmbeddedReadStore } from '../src/readstore/embedded/index.js';
import { createMetrics } from '../src/observability/metrics.js';
import { ProjectionService } from '../src/projections/projection-service.js';
import { auditProjection } from '../src/projections/read-models/audit.js';

const SIZES = (process.env.BENCH_AUDIT_SIZES ?? '10000,1000000').split(',').map(Number);
const REQUESTS = Number(process.env.BENCH_AUDIT_REQUESTS ?? 200);
const WARMUP_REQUESTS = 10;
const SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const ACTORS = Array.from({ length: 50 }, (_, i) => `user-${i}`);
const TYPES = ['FeatureCreated', 'FeatureUpdated', 'FeatureDeleted', 'FeatureRestored'];

interface Row {
  events: number;
  projectSeconds: number;
  queries: Record<string, { p50Ms: number; p99Ms: number; items: number }>;
}

async function measure(size: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-ledger-bench-audit-'));
  const events = openSqliteEventStore({ file: join(dir, 'events.db') });
  const readStore = openEmbeddedReadStore({ file: join(dir, 'read-models.db') });
  try {
    // Streams of 10 events each; a correlation id per stream, a command per event.
    const sample = { aggregateId: '', correlationId: '', commandId: '', actor: ACTORS[0]! };
    let pending: Array<Promise<unknown>> = [];
    for (let written = 0; written < size; ) {
      const stream = ulid();
      const correlationId = ulid();
      const batch: EventToAppend[] = [];
      for (let revision = 0; revision < 10 && written < size; revision++, written++) {
        const commandId = ulid();
        const actor = ACTORS[written % ACTORS.length]!;
        const type = revision === 0 ? 'FeatureCreated' : TYPES[1 + (written % 3)]!;
        batch.push({
          id: randomUUID(),
          type,
          data: revision === 0 ? { requirementId: stream, name: `f-${written}`, complexityPoints: 3, developer: 'dev' } : { changes: { complexityPoints: revision }, previous: { complexityPoints: revision - 1 }, name: `f-${written}` },
          metadata: { actor, actorRole: 'engineer', commandId, commandType: 'feature.update', correlationId, causationId: commandId, at: new Date(Date.UTC(2026, 0, 1) + written * 1000).toISOString(), schemaVersion: 1 },
        });
        if (written === Math.floor(size / 2)) Object.assign(sample, { aggregateId: stream, correlationId, commandId, actor });
      }
      // Not awaited one by one: concurrent appends share a durable commit.
      pending.push(events.append(`feature-${stream}`, batch, 'no_stream'));
      if (pending.length >= 200) {
        await Promise.all(pending);
        pending = [];
      }
    }
    await Promise.all(pending);
    const head = (await events.headPosition())!;

    const started = performance.now();
    const projections = new ProjectionService(events, readStore, [auditProjection], { run: true, logger: pino({ level: 'silent' }), runner: { batchSize: 5_000 } });
    await projections.start();
    if (!(await projections.waitFor('audit', head, 30 * 60_000))) throw new Error('audit projection did not catch up');
    const projectSeconds = (performance.now() - started) / 1000;

    const app = createApp({
      events, commands: new CommandBus(events), readStore, projections, logger: pino({ level: 'silent' }), metrics: createMetrics(),
      authSecret: SECRET, rateLimit: { rps: 0, burst: 0 }, bodyLimitBytes: 1 << 20, backends: [],
    });
    const token = await issueToken(SECRET, 'bench', 'viewer');
    const mid = new Date(Date.UTC(2026, 0, 1) + Math.floor(size / 2) * 1000).toISOString();
    const queries: Record<string, string> = {
      'first page': '',
      actor: `actor=${sample.actor}`,
      aggregateType: 'aggregateType=feature',
      aggregateId: `aggregateId=${sample.aggregateId}`,
      type: 'type=FeatureDeleted',
      correlationId: `correlationId=${sample.correlationId}`,
      commandId: `commandId=${sample.commandId}`,
      'from..to': `from=${mid}&to=${new Date(Date.parse(mid) + 3_600_000).toISOString()}`,
    };
    const results: Row['queries'] = {};
    for (const [name, query] of Object.entries(queries)) {
      const timings: number[] = [];
      let items = 0;
      for (let i = -WARMUP_REQUESTS; i < REQUESTS; i++) {
        const t0 = performance.now();
        const response = await app.fetch(new Request(`http://bench/api/audit?${query}`, { headers: { authorization: `Bearer ${token}` } }));
        const body = (await response.json()) as { items: unknown[] };
        if (i >= 0) timings.push(performance.now() - t0);
        if (response.status !== 200) throw new Error(`${name}: HTTP ${response.status}`);
        items = body.items.length;
      }
      timings.sort((a, b) => a - b);
      results[name] = { p50Ms: timings[Math.floor(timings.length * 0.5)]!, p99Ms: timings[Math.floor(timings.length * 0.99)]!, items };
    }
    await projections.stop();
    return { events: size, projectSeconds, queries: results };
  } finally {
    await events.close();
    await readStore.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Row[] = [];
for (const size of SIZES) {
  process.stderr.write(`audit bench: ${size.toLocaleString('en-US')} events…\n`);
  rows.push(await measure(size));
}
console.log(`\nGET /api/audit latency (${REQUESTS} requests each, in-process), p50 / p99 in ms`);
console.log(['query'.padEnd(16), ...rows.map((r) => `${r.events.toLocaleString('en-US')} events`.padStart(22))].join(''));
for (const name of Object.keys(rows[0]!.queries)) {
  console.log([name.padEnd(16), ...rows.map((r) => `${r.queries[name]!.p50Ms.toFixed(2)} / ${r.queries[name]!.p99Ms.toFixed(2)}`.padStart(22))].join(''));
}
const largest = rows[rows.length - 1]!;
const worstP99 = Math.max(...Object.values(largest.queries).map((q) => q.p99Ms));
console.log(`worst p99 at ${largest.events.toLocaleString('en-US')} events: ${worstP99.toFixed(2)} ms (target <= 20 ms)${worstP99 <= 20 ? '' : '  !!! ABOVE TARGET !!!'}`);
for (const row of rows) console.log(`projected ${row.events.toLocaleString('en-US')} events into the audit model in ${row.projectSeconds.toFixed(1)} s`);
console.log(JSON.stringify({ audit: rows, worstP99Ms: worstP99, targetP99Ms: 20 }));
