// Benchmark of the embedded read store: bulk put throughput, and the latency of an indexed
// keyset page (equality + range + sort + limit 50) at 10k and 1M documents. The machine's
// load average is printed too: other processes on the cores move these numbers a lot.
// Run: npx tsx bench/readstore-embedded.ts [sizes, comma-separated]   — prints JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import { openEmbeddedReadStore } from '../src/readstore/embedded/index.js';
import type { Doc, IndexSpec, ReadStore } from '../src/readstore/port.js';

const DEFAULT_SIZES = [10_000, 1_000_000];
const BULK_BATCH = 10_000;
const PAGE_SIZE = 50;
const PAGE_SAMPLES = 2_000;
const KINDS = ['FeatureCreated', 'FeatureUpdated', 'BuildRequested', 'BuildSucceeded', 'TestRunRecorded', 'DeploymentStarted', 'TrafficShifted', 'IncidentOpened'];
const ACTORS = Array.from({ length: 20 }, (_, index) => `agent:worker-${index}`);

/** Like the audit projection's: newest first overall and per actor. */
const AUDIT_INDEXES: IndexSpec[] = [{ fields: [['position', -1]] }, { fields: [['actor', 1], ['position', -1]] }];

const nextId = monotonicFactory();

function auditEntry(seq: number): Doc {
  return {
    id: nextId(),
    position: seq,
    type: KINDS[seq % KINDS.length]!,
    actor: ACTORS[seq % ACTORS.length]!,
    aggregateType: 'feature',
    summary: `entry ${seq} recorded by the benchmark`,
    at: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
  };
}

async function fill(store: ReadStore, collection: string, size: number): Promise<{ docsPerSecond: number; first100kDocsPerSecond: number | null }> {
  const items = store.collection(collection);
  // Only the bulk calls are timed, not the making of the documents.
  let elapsedMs = 0;
  let first100kMs: number | null = null;
  for (let start = 0; start < size; start += BULK_BATCH) {
    const batch = Array.from({ length: Math.min(BULK_BATCH, size - start) }, (_, offset) => ({ put: auditEntry(start + offset + 1) }));
    const started = performance.now();
    await items.bulk(batch);
    elapsedMs += performance.now() - started;
    if (first100kMs === null && start + batch.length >= 100_000) first100kMs = elapsedMs;
  }
  return {
    docsPerSecond: Math.round(size / (elapsedMs / 1000)),
    first100kDocsPerSecond: first100kMs === null ? null : Math.round(100_000 / (first100kMs / 1000)),
  };
}

async function pageLatencies(store: ReadStore, collection: string, size: number): Promise<{ p50Ms: number; p99Ms: number; maxMs: number }> {
  const items = store.collection(collection);
  const samples: number[] = [];
  for (let sample = 0; sample < PAGE_SAMPLES; sample++) {
    const actor = ACTORS[sample % ACTORS.length]!;
    const before = 1 + Math.floor(Math.random() * size);
    const started = performance.now();
    const page = await items.find({ actor, position: { $lt: before } }, { sort: [['position', -1]], limit: PAGE_SIZE });
    samples.push(performance.now() - started);
    if (page.length > PAGE_SIZE) throw new Error('limit not applied');
  }
  samples.sort((a, b) => a - b);
  const at = (quantile: number) => Number(samples[Math.min(samples.length - 1, Math.floor(quantile * samples.length))]!.toFixed(3));
  return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
}

/** The target case: 100,000 small documents into a fresh collection, in one bulk call. */
async function bulkPutOnce(indexes: IndexSpec[]): Promise<{ docsPerSecond: number; docsPerCpuSecond: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-ledger-bench-readstore-'));
  const store = openEmbeddedReadStore({ file: join(dir, 'read-models.sqlite') });
  try {
    await store.ensureIndexes('audit', indexes);
    const ops = Array.from({ length: 100_000 }, (_, index) => ({ put: auditEntry(index + 1) }));
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await store.collection('audit').bulk(ops);
    const cpu = process.cpuUsage(cpuBefore);
    const elapsedMs = performance.now() - started;
    return {
      docsPerSecond: Math.round(ops.length / (elapsedMs / 1000)),
      // CPU time, not wall time: what one idle core would do, whatever else runs on the machine.
      docsPerCpuSecond: Math.round(ops.length / ((cpu.user + cpu.system) / 1e6)),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(size: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-ledger-bench-readstore-'));
  const store = openEmbeddedReadStore({ file: join(dir, 'read-models.sqlite') });
  try {
    await store.ensureIndexes('audit', AUDIT_INDEXES);
    const bulkPut = await fill(store, 'audit', size);
    const page = await pageLatencies(store, 'audit', size);
    return { documents: size, indexes: 2, bulkBatch: BULK_BATCH, bulkPut, indexedPageOf50: page };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = process.argv[2] ? process.argv[2].split(',').map(Number) : DEFAULT_SIZES;
  const bulkPut100k = {
    withoutIndexes: await bulkPutOnce([]),
    withTwoIndexes: await bulkPutOnce(AUDIT_INDEXES),
  };
  const results = [];
  for (const size of sizes) results.push(await measure(size));
  console.log(JSON.stringify({ benchmark: 'readstore-embedded', node: process.version, loadAverage: loadavg(), bulkPut100k, results }, null, 2));
}

await main();
