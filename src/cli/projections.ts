import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import pino from 'pino';
import { z } from 'zod';
import { loadEnv, ConfigError } from '../config/env.js';
import { openBackends, type Backends } from '../app/backends.js';
import { ProjectionService } from '../projections/projection-service.js';
import type { ProjectionStatus } from '../projections/projection-status.js';
import type { RebuildProgress } from '../projections/rebuild/rebuild-claims.js';
import { allProjections } from '../projections/read-models/index.js';
import { RebuildConflictError, UnknownProjectionError } from '../projections/rebuild/rebuild-errors.js';

// npm run projections -- rebuild <name|all> [--batch-size n]   builds beside the live generation, swaps, drops the old
// npm run projections -- cancel <name|all>                      abandons a requested or running rebuild
// npm run projections -- status                                 one line per projection
const USAGE = 'usage: npm run projections -- rebuild <name|all> [--batch-size <events per read, default 1000>] | cancel <name|all> | status';

const commandSchema = z.union([
  z.tuple([z.enum(['rebuild', 'cancel']), z.string().min(1)]),
  z.tuple([z.literal('status')]),
]);
const optionsSchema = z.object({ 'batch-size': z.coerce.number().int().min(1).max(100_000).optional() });

const EXIT = { ok: 0, failed: 1, usage: 2, busy: 3, interrupted: 130 } as const;

const parsed = parseCommandLine();
if (!parsed) {
  console.error(USAGE);
  process.exit(EXIT.usage);
}

let backends: Backends | null = null;
let projections: ProjectionService | null = null;
try {
  const env = loadEnv();
  // The terminal shows the progress bar; only problems are logged (to stderr).
  const logger = pino({ level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL }, pino.destination(2));
  backends = await openBackends(env, logger);
  // Observing only: the live generations stay with the API or worker that runs them.
  projections = new ProjectionService(backends.events, backends.readStore, allProjections(), { run: false, logger, rebuild: { batchSize: parsed.options['batch-size'] } });
  await projections.start();
  const [command, target] = parsed.command;
  if (command === 'status') printStatus(await projections.status());
  else if (command === 'cancel') console.log(describeCancel(await projections.cancelRebuild(target!)));
  else process.exitCode = await rebuild(projections, target!);
} catch (error) {
  process.exitCode = explain(error);
} finally {
  await projections?.stop();
  await backends?.close();
}
process.exit(process.exitCode ?? EXIT.ok);

function parseCommandLine() {
  try {
    const { values, positionals } = parseArgs({ options: { 'batch-size': { type: 'string' } }, allowPositionals: true });
    const command = commandSchema.safeParse(positionals);
    const options = optionsSchema.safeParse(values);
    return command.success && options.success ? { command: command.data, options: options.data } : null;
  } catch {
    return null;
  }
}

async function rebuild(service: ProjectionService, target: string): Promise<number> {
  const bar = new cliProgress.SingleBar(
    {
      format: 'rebuilding {target} {bar} {percentage}% | {value}/{total} | {rate} events/s | ETA {etaText} | {phase}',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2000,
    },
    cliProgress.Presets.shades_classic,
  );
  let shown = false;
  const show = (progress: RebuildProgress | null) => {
    if (!progress) return;
    const total = Math.max(1, Number(progress.head ?? 0));
    const value = Math.min(total, Number(progress.position ?? 0));
    const payload = { target, rate: progress.eventsPerSecond.toLocaleString('en'), etaText: formatSeconds(progress.etaSeconds), phase: progress.phase };
    if (!shown) bar.start(total, value, payload);
    shown = true;
    bar.setTotal(total);
    bar.update(value, payload);
  };
  // Ctrl-C: stop after the current batch and hand the rebuild back, to resume later.
  const interrupt = () => void service.stop();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const report = await service.rebuildHere(target, {
    onProgress: show,
    onBuilt: () => {
      if (shown) bar.stop();
      shown = false;
      console.log('swapped in; the old generation is dropped once queries already under way are done');
    },
  });
  if (shown) bar.stop();
  if (!report.swapped) {
    console.error('the rebuild stopped before the swap (interrupted, cancelled or taken over): run the same command again to resume it');
    return EXIT.interrupted;
  }
  for (const status of await service.status()) {
    if (target === 'all' || status.name === target) console.log(`${status.name}: ${status.generation} is live (${describeOutcome(status)})`);
  }
  return EXIT.ok;
}

function describeOutcome(status: ProjectionStatus): string {
  const outcome = status.lastRebuild;
  if (!outcome) return 'no rebuild recorded';
  return `${outcome.events.toLocaleString('en')} events in ${outcome.seconds} s, ${outcome.eventsPerSecond.toLocaleString('en')} events/s`;
}

function describeCancel(cancelled: string[]): string {
  return cancelled.length === 0 ? 'no rebuild was requested or running' : `cancelled: ${cancelled.join(', ')}`;
}

function printStatus(statuses: ProjectionStatus[]): void {
  const rows = statuses.map((status) => ({
    projection: status.name,
    generation: status.generation + (status.codeVersion === status.version ? '' : ` (code v${status.codeVersion})`),
    checkpoint: status.checkpoint ?? '-',
    lag: String(status.lag),
    status: status.status + (status.rebuild?.progress ? ` ${status.rebuild.progress.percent}% ${status.rebuild.progress.eventsPerSecond} ev/s` : status.rebuild ? ` (${status.rebuild.state})` : ''),
    parked: String(status.parked),
    error: status.lastError ?? '',
  }));
  const columns = Object.keys(rows[0] ?? {}) as Array<keyof (typeof rows)[number]>;
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(line(columns));
  for (const row of rows) console.log(line(columns.map((column) => row[column])));
}

function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '?';
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

function explain(error: unknown): number {
  if (error instanceof ConfigError || error instanceof UnknownProjectionError) {
    console.error(error.message);
    return EXIT.usage;
  }
  if (error instanceof RebuildConflictError) {
    console.error(`${error.message} (another process is running it; see: npm run projections -- status)`);
    return EXIT.busy;
  }
  console.error(error instanceof Error ? error.message : String(error));
  return EXIT.failed;
}
