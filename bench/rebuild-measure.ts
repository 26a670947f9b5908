// One row of the rebuild benchmark, in a process of its own so that its memory is the rebuild's:
// rebuilds every projection from the log into an empty read store, then reads the same log raw
// (afterwards, so that the raw read's garbage is not counted in the rebuild's memory).
// Prints one JSON line (RebuildRow) on stdout.
import pino from 'pino';
import { z } from 'zod';
import { openSqliteEventStore } from '../src/eventstore/sqlite/index.js';
import { openEmbeddedReadStore } from '../src/readstore/embedded/index.js';
import { openMongoReadStore } from '../src/readstore/mongo/index.js';
import type { EventStore } from '../src/eventstore/port.js';
import type { ReadStore } from '../src/readstore/port.js';
import { ProjectionService } from '../src/projections/projection-service.js';
import { allProjections } from '../src/projections/read-models/index.js';

export const measureInputSchema = z.object({
  eventsFile: z.string(),
  readStore: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('embedded'), file: z.string() }),
    z.object({ kind: z.literal('mongodb'), url: z.string(), database: z.string() }),
  ]),
  batchSize: z.number().int().positive(),
  /** Projections left out, to see what one of them costs. */
  exclude: z.array(z.string()).default([]),
});
export type MeasureInput = z.input<typeof measureInputSchema>;

export const rebuildRowSchema = z.object({
  events: z.number().int(),
  projections: z.number().int(),
  rawRead: z.object({ seconds: z.number(), eventsPerSecond: z.number() }),
  rebuild: z.object({
    seconds: z.number(),
    eventsPerSecond: z.number(),
    swapped: z.boolean(),
    /** CPU time of the rebuilding process (all its threads): steadier than the rate on a busy machine. */
    cpuSeconds: z.number(),
  }),
  ratio: z.number(),
  rssMb: z.object({ beforeRebuild: z.number(), peakDuringRebuild: z.number(), atProgress: z.record(z.string(), z.number()) }),
  /** Where the rebuild's time went, in seconds. */
  timings: z.object({ indexing: z.number(), projections: z.record(z.string(), z.number()) }),
});
export type RebuildRow = z.infer<typeof rebuildRowSchema>;

const RAW_PAGE = 5_000;
const SAMPLE_MS = 50;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function rawRead(events: EventStore): Promise<{ count: number; seconds: number }> {
  const started = performance.now();
  let count = 0;
  let after: bigint | null = null;
  for (;;) {
    const page = await events.readAll({ after, maxCount: RAW_PAGE });
    count += page.length;
    if (page.length < RAW_PAGE) break;
    after = page[page.length - 1]!.position;
  }
  return { count, seconds: (performance.now() - started) / 1000 };
}

async function openReadStore(input: z.infer<typeof measureInputSchema>): Promise<ReadStore> {
  const spec = input.readStore;
  return spec.kind === 'embedded' ? openEmbeddedReadStore({ file: spec.file }) : openMongoReadStore({ url: spec.url, database: spec.database });
}

async function measure(input: z.infer<typeof measureInputSchema>): Promise<RebuildRow> {
  const events = openSqliteEventStore({ file: input.eventsFile });
  const readStore = await openReadStore(input);
  try {
    const projections = allProjections().filter((projection) => !input.exclude.includes(projection.name));
    // Nothing runs the live generations here: their stall warnings are expected, and not shown.
    const service = new ProjectionService(events, readStore, projections, { run: false, logger: pino({ level: 'error' }), retireAfterMs: 0, rebuild: { batchSize: input.batchSize } });
    await service.start();

    const beforeRebuild = process.memoryUsage().rss;
    let peak = beforeRebuild;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), SAMPLE_MS);
    const atProgress: Record<string, number> = {};
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const report = await service.rebuildHere('all', {
      onProgress: (progress) => {
        if (!progress) return;
        const quarter = `${Math.floor(progress.percent / 25) * 25}%`;
        atProgress[quarter] ??= mb(process.memoryUsage().rss);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    await service.stop();
    const raw = await rawRead(events);

    const rebuildRate = raw.count / seconds;
    const rawRate = raw.count / raw.seconds;
    return {
      events: raw.count,
      projections: projections.length,
      rawRead: { seconds: round(raw.seconds, 2), eventsPerSecond: Math.round(rawRate) },
      rebuild: { seconds: round(seconds, 2), eventsPerSecond: Math.round(rebuildRate), swapped: report.swapped, cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2) },
      ratio: round(rebuildRate / rawRate, 3),
      rssMb: { beforeRebuild: mb(beforeRebuild), peakDuringRebuild: mb(peak), atProgress },
      timings: {
        indexing: round(report.timings.indexing / 1000, 2),
        projections: Object.fromEntries(Object.entries(report.timings.projections).map(([name, ms]) => [name, round(ms / 1000, 2)])),
      },
    };
  } finally {
    await readStore.close();
    await events.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const input = measureInputSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
  console.log(JSON.stringify(await measure(input)));
}
