import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchmarkBareHono } from './lib/bare-hono-benchmark.js';
import { benchmarkLedger } from './lib/ledger-benchmark.js';
import { replayAllProjections } from './lib/replay.js';
import { formatReport } from './lib/report.js';
import { loadBenchSettings } from './lib/settings.js';
import { summarize } from './lib/summary.js';

// `npm run bench`: (a) feature commands over HTTP on the embedded stores, (b) a bare Hono
// baseline under the same load, (c) a full replay of (a)'s log through every projection.
// Progress goes to stderr; stdout gets the figures, then the JSON summary as its last line.
const log = (line: string) => process.stderr.write(`${line}\n`);
const settings = loadBenchSettings();
const dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-bench-'));
try {
  const ledger = await benchmarkLedger(settings, dataDir, log);
  const bareHono = await benchmarkBareHono(settings, log);
  log('(c) replaying the log through every projection');
  const replay = await replayAllProjections(dataDir);
  const summary = summarize(settings, ledger, bareHono, replay);
  process.stdout.write(formatReport(summary));
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (summary.problems.length > 0) {
    log(`!!! ${summary.problems.length} problem(s): see above`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
