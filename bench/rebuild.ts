// Rebuild benchmark: every projection rebuilt from a log of realistic delivery events, beside the
// raw read rate of the same log in the same run, with the peak RSS of the rebuilding process.
//   npx tsx bench/rebuild.ts [--events 1000000] [--mongo-events 2000] [--batch-size 1000]
//                            [--data-dir <dir: reuse or keep the logs>] [--skip-mongo]
//                            [--also-without <projection>: a second embedded row without it]
// Prints a table, then one JSON line: {"benchmark":"projection-rebuild", ...}.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openSqliteEventStore } from '../src/eventstore/sqlite/index.js';
import { appendDeliveryLog } from './rebuild-log.js';
import { startMongoForBench } from './rebuild-ferretdb.js';
import { rebuildRowSchema, type MeasureInput, type RebuildRow } from './rebuild-measure.js';

const TARGETS = { eventsPerSecond: 100_000, ratio: 0.3, peakRssMb: 300, mongoEventsPerSecond: 2_000 };

const optionsSchema = z.object({
  events: z.coerce.number().int().positive().default(1_000_000),
  'mongo-events': z.coerce.number().int().positive().default(2_000),
  'batch-size': z.coerce.number().int().positive().default(1_000),
  'data-dir': z.string().optional(),
  'skip-mongo': z.boolean().default(false),
  'also-without': z.string().optional(),
});
const { values } = parseArgs({
  options: {
    events: { type: 'string' },
    'mongo-events': { type: 'string' },
    'batch-size': { type: 'string' },
    'data-dir': { type: 'string' },
    'skip-mongo': { type: 'boolean' },
    'also-without': { type: 'string' },
  },
});
const options = optionsSchema.parse(values);
const dataDir = options['data-dir'] ?? mkdtempSync(join(tmpdir(), 'agent-ledger-bench-rebuild-'));
mkdirSync(dataDir, { recursive: true });

/** A log of `count` events in `file`, appended unless a log of that size is already there. */
async function deliveryLog(file: string, count: number): Promise<void> {
  const events = openSqliteEventStore({ file });
  try {
    const head = Number((await events.headPosition()) ?? 0n);
    if (head >= count) return;
    if (head > 0) throw new Error(`${file} holds ${head} events, fewer than the ${count} asked for: remove it`);
    const started = performance.now();
    let lastShown = 0;
    await appendDeliveryLog(events, count, (appended) => {
      if (appended - lastShown < 100_000 && appended < count) return;
      lastShown = appended;
      process.stdout.write(`\r  appending the log: ${appended.toLocaleString('en')} events`);
    });
    console.log(` (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    await events.close();
  }
}

function measureInChild(input: MeasureInput): Promise<RebuildRow> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'rebuild-measure.ts'), JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the measuring process exited with ${code}`));
      resolve(rebuildRowSchema.parse(JSON.parse(output.trim().split('\n').at(-1)!)));
    });
  });
}

function printRow(store: string, row: RebuildRow): void {
  console.log(`\n${store}: ${row.events.toLocaleString('en')} events through ${row.projections} projections`);
  console.log(`  raw read of the log   ${row.rawRead.eventsPerSecond.toLocaleString('en').padStart(10)} events/s  (${row.rawRead.seconds} s)`);
  console.log(`  rebuild, swap incl.   ${row.rebuild.eventsPerSecond.toLocaleString('en').padStart(10)} events/s  (${row.rebuild.seconds} s, ${row.rebuild.cpuSeconds} s CPU)   ratio ${row.ratio}`);
  console.log(`  RSS                   ${row.rssMb.beforeRebuild} MB before, peak ${row.rssMb.peakDuringRebuild} MB; at ${Object.entries(row.rssMb.atProgress).map(([at, rss]) => `${at}: ${rss}`).join(', ')} MB`);
  const slowest = Object.entries(row.timings.projections).sort((a, b) => b[1] - a[1]);
  console.log(`  time per projection   ${slowest.map(([name, seconds]) => `${name} ${seconds} s`).join(', ')}; indexes ${row.timings.indexing} s`);
}

const rows: Array<{ store: string; row: RebuildRow }> = [];
console.log(`projection rebuild benchmark (logs in ${dataDir})`);

const embeddedLog = join(dataDir, `events-${options.events}.db`);
await deliveryLog(embeddedLog, options.events);
for (const exclude of [[], options['also-without'] ? [options['also-without']] : null]) {
  if (!exclude) continue;
  const embeddedReadStore = join(dataDir, `read-models-${Date.now()}.db`);
  try {
    const row = await measureInChild({ eventsFile: embeddedLog, readStore: { kind: 'embedded', file: embeddedReadStore }, batchSize: options['batch-size'], exclude });
    rows.push({ store: `embedded (SQLite log, SQLite documents)${exclude.length > 0 ? `, without ${exclude.join(', ')}` : ''}`, row });
    printRow(rows.at(-1)!.store, row);
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(embeddedReadStore + suffix, { force: true });
  }
}

const mongo = options['skip-mongo'] ? null : await startMongoForBench();
if (mongo) {
  const mongoLog = join(dataDir, `events-${options['mongo-events']}.db`);
  await deliveryLog(mongoLog, options['mongo-events']);
  try {
    const database = `agent_ledger_bench_rebuild_${Date.now()}`;
    const row = await measureInChild({ eventsFile: mongoLog, readStore: { kind: 'mongodb', url: mongo.url, database }, batchSize: options['batch-size'] });
    rows.push({ store: `${mongo.description} documents, SQLite log`, row });
    printRow(rows.at(-1)!.store, row);
  } finally {
    await mongo.stop();
  }
} else {
  console.log(options['skip-mongo'] ? '\nMongoDB row skipped (--skip-mongo)' : '\nMongoDB row skipped: set MONGODB_URL or build FerretDB (scripts/build-ferretdb.sh)');
}

const embedded = rows[0]!.row;
const mongoRow = mongo ? rows.at(-1)!.row : null;
const met = {
  eventsPerSecond: embedded.rebuild.eventsPerSecond >= TARGETS.eventsPerSecond,
  ratio: embedded.ratio >= TARGETS.ratio,
  peakRssMb: embedded.rssMb.peakDuringRebuild <= TARGETS.peakRssMb,
  mongoEventsPerSecond: mongoRow ? mongoRow.rebuild.eventsPerSecond >= TARGETS.mongoEventsPerSecond : null,
};
const verdict = (value: boolean | null) => (value === null ? 'not measured' : value ? 'met' : 'NOT met');
const loadAverage = loadavg().map((load) => Math.round(load * 100) / 100);
console.log(`\ntargets on the embedded stores: >= ${TARGETS.eventsPerSecond.toLocaleString('en')} events/s ${verdict(met.eventsPerSecond)}, ratio >= ${TARGETS.ratio} ${verdict(met.ratio)}, peak RSS <= ${TARGETS.peakRssMb} MB ${verdict(met.peakRssMb)}`);
console.log(`target on MongoDB: >= ${TARGETS.mongoEventsPerSecond.toLocaleString('en')} events/s ${verdict(met.mongoEventsPerSecond)}`);
console.log(`load average: ${loadAverage.join(' ')} (the rates move with what else runs on the machine; the ratio much less)`);
console.log(JSON.stringify({ benchmark: 'projection-rebuild', rows: rows.map(({ store, row }) => ({ store, ...row })), targets: TARGETS, met, loadAverage }));
if (!options['data-dir']) rmSync(dataDir, { recursive: true, force: true });
