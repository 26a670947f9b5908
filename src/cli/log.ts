import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import pino from 'pino';
import { z } from 'zod';
import { loadEnv, ConfigError } from '../config/env.js';
import { openBackends, type Backends } from '../app/backends.js';
import { exportLog } from '../integrations/log/export-log.js';
import { importLog, LogImportError } from '../integrations/log/import-log.js';
import { resumePoint } from '../integrations/log/resume-point.js';
import { backupEmbedded, BackupError, restoreEmbedded } from '../integrations/log/embedded-backup.js';

// npm run log -- export [--out <file> [--resume]]   the whole log as NDJSON (stdout without --out)
// npm run log -- import <file>                       appends an export to the configured event store
// npm run log -- backup <dir>                        online backup of the embedded stores in DATA_DIR
// npm run log -- restore <dir> [--force]             puts a backup in place (server stopped)
const USAGE = 'usage: npm run log -- export [--out <file> [--resume]] | import <file> | backup <dir> | restore <dir> [--force]';

const commandSchema = z.union([
  z.tuple([z.literal('export')]),
  z.tuple([z.enum(['import', 'backup', 'restore']), z.string().min(1)]),
]);
const optionsSchema = z.object({ out: z.string().min(1).optional(), resume: z.boolean().optional(), force: z.boolean().optional() });
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const parsed = parseCommandLine();
if (!parsed || (parsed.options.resume && !parsed.options.out)) {
  console.error(USAGE);
  process.exit(EXIT.usage);
}

let backends: Backends | null = null;
try {
  const env = loadEnv();
  const [command, target] = parsed.command;
  if (command === 'backup') {
    const bar = progressBar('backing up {file} {bar} {percentage}% | {value}/{total} pages');
    const files = await backupEmbedded(env.DATA_DIR, target!, ({ file, totalPages, remainingPages }) => bar.update(totalPages - remainingPages, { file, total: totalPages }));
    bar.stop();
    console.error(`backed up ${files.join(', ')} to ${target}`);
  } else if (command === 'restore') {
    const files = restoreEmbedded(target!, env.DATA_DIR, { force: parsed.options.force });
    console.error(`restored ${files.join(', ')} into ${env.DATA_DIR}; projections catch up from their restored checkpoints on start`);
  } else {
    const logger = pino({ level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL }, pino.destination(2));
    backends = await openBackends(env, logger);
    if (command === 'export') await runExport(backends, parsed.options.out, parsed.options.resume ?? false);
    else await runImport(backends, target!);
  }
} catch (error) {
  process.exitCode = explain(error);
} finally {
  await backends?.close();
}
process.exit(process.exitCode ?? EXIT.ok);

async function runExport(backends: Backends, file: string | undefined, resume: boolean): Promise<void> {
  const after = resume && file && existsSync(file) ? resumePoint(file) : null;
  const out = file ? createWriteStream(file, { flags: resume ? 'a' : 'w' }) : process.stdout;
  const bar = progressBar('exporting {bar} {percentage}% | {events} events');
  const count = await exportLog(backends.events, out, {
    after,
    onProgress: ({ events, position, head }) => bar.update(Number(position ?? 0n), { events, total: Math.max(1, Number(head ?? 1n)) }),
  });
  bar.stop();
  if (file) {
    out.end();
    await finished(out);
  }
  console.error(`exported ${count} events${after === null ? '' : ` after position ${after}`}${file ? ` to ${file}` : ''}`);
}

async function runImport(backends: Backends, file: string): Promise<void> {
  const total = statSync(file).size;
  const input = createReadStream(file);
  const bar = progressBar('importing {bar} {percentage}% | {appended} appended, {skipped} already there');
  bar.start(Math.max(1, total), 0, { appended: 0, skipped: 0 });
  const result = await importLog(backends.events, input, { onProgress: ({ appended, skipped }) => bar.update(input.bytesRead, { appended, skipped }) });
  bar.update(Math.max(1, total), {});
  bar.stop();
  console.error(`imported ${result.appended} events (${result.skipped} were already there); now rebuild the read models: npm run projections -- rebuild all`);
}

function progressBar(format: string) {
  const bar = new cliProgress.SingleBar({ format, hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000, stream: process.stderr }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(value: number, payload: Record<string, unknown> & { total?: number }) {
      const { total, ...rest } = payload;
      if (!started) {
        bar.start(total ?? 1, value, rest);
        started = true;
      } else {
        if (total !== undefined) bar.setTotal(total);
        bar.update(value, rest);
      }
    },
    start(total: number, value: number, payload: Record<string, unknown>) {
      bar.start(total, value, payload);
      started = true;
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function parseCommandLine() {
  try {
    const { values, positionals } = parseArgs({ options: { out: { type: 'string' }, resume: { type: 'boolean' }, force: { type: 'boolean' } }, allowPositionals: true });
    const command = commandSchema.safeParse(positionals);
    const options = optionsSchema.safeParse(values);
    return command.success && options.success ? { command: command.data, options: options.data } : null;
  } catch {
    return null;
  }
}

function explain(error: unknown): number {
  if (error instanceof ConfigError || error instanceof BackupError || error instanceof LogImportError) {
    console.error(error.message);
    return EXIT.failed;
  }
  console.error(`failed: ${error instanceof Error ? error.message : String(error)}`);
  return EXIT.failed;
}
