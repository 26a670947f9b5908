import type { BenchSummary } from './summary.js';

const integer = (value: number) => Math.round(value).toLocaleString('en-US');
const cpuMs = (value: number | null) => (value === null ? '?' : `${value.toFixed(3)} ms`);
const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`;

function readModelDelayLine(delay: BenchSummary['readModelDelay']): string {
  if (delay.worstP99Ms === null) return 'acknowledgement → read model: nothing recorded';
  const verdict = delay.met ? 'meets the goal' : '!!! ABOVE THE GOAL !!!';
  return (
    `acknowledgement → read model under load, p99: features ≤ ${delay.featuresP99Ms ?? '?'} ms, worst ≤ ${delay.worstP99Ms} ms (${delay.worstProjection}), ` +
    `${integer(delay.events)} events (goal <= ${delay.goalMs} ms): ${verdict}`
  );
}

/** The human-readable figures; the JSON summary follows them on its own line. */
export function formatReport(summary: BenchSummary): string {
  const { settings, ledger, bareHono, replay } = summary;
  const rows = [
    ['', 'rate', 'p50', 'p99', 'responses', 'non-2xx', 'errors'],
    ['(a) ledger feature commands', `${integer(ledger.commandsPerSecond)} cmd/s`, ms(ledger.p50Ms), ms(ledger.p99Ms), integer(ledger.responses), integer(ledger.non2xx), integer(ledger.errors)],
    ['(b) bare Hono JSON POST', `${integer(bareHono.requestsPerSecond)} req/s`, ms(bareHono.p50Ms), ms(bareHono.p99Ms), integer(bareHono.responses), integer(bareHono.non2xx), integer(bareHono.errors)],
  ];
  const single = summary.singleConnection;
  if (single) {
    rows.push(
      ['(a) ledger, 1 connection', `${integer(single.ledger.commandsPerSecond)} cmd/s`, ms(single.ledger.p50Ms), ms(single.ledger.p99Ms), '', '', ''],
      ['(b) bare Hono, 1 connection', `${integer(single.bareHono.requestsPerSecond)} req/s`, ms(single.bareHono.p50Ms), ms(single.bareHono.p99Ms), '', '', ''],
    );
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const table = rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('   '));

  const ratioVerdict = summary.ratio >= summary.ratioGoal ? 'meets the goal' : '!!! BELOW THE GOAL !!!';
  const lines = [
    '',
    `agent-ledger benchmarks: ${settings.connections} connections, ${settings.seconds} s per load, ` +
      (settings.warmupSeconds > 0 ? `each after ${settings.warmupSeconds} s of warm-up` : 'no warm-up'),
    `(a) mixes PATCH of ${settings.features} seeded features (no If-Match) with ${Math.round(settings.createShare * 100)}% POST /api/features`,
    '',
    ...table,
    '',
    `ratio a/b: ${summary.ratio.toFixed(3)} (goal >= ${summary.ratioGoal}): ${ratioVerdict}`,
    ...(single
      ? [`p99 at 1 connection: ${ms(single.ledger.p99Ms)} (bare Hono ${ms(single.bareHono.p99Ms)}; goal <= ${single.p99GoalMs} ms): ${single.met ? 'meets the goal' : '!!! ABOVE THE GOAL !!!'}`]
      : []),
    readModelDelayLine(summary.readModelDelay),
    `load average: ${summary.loadAverage.join(' ')} (figures move with what else runs on the machine)`,
    ...(summary.cpuRatio === null
      ? []
      : [
          `server CPU per response: ${cpuMs(ledger.serverCpuMsPerOk)} per command, ${cpuMs(bareHono.serverCpuMsPerOk)} per bare request: ` +
            `CPU ratio ${summary.cpuRatio.toFixed(3)} (steadier than a/b when the machine is busy)`,
        ]),
    `(c) replay: ${integer(replay.events)} events through ${replay.projections} projections in ${replay.seconds.toFixed(2)} s: ` +
      `${integer(replay.eventsPerSecond)} events/s (${integer(replay.eventsPerSecond * replay.projections)} projection applies/s)`,
    `    rebuilt ${integer(replay.features)} features from ${integer(replay.featuresInLog)} FeatureCreated events ` +
      `(${integer(replay.acknowledgedFeatures)} acknowledged to clients), ${replay.parked} events parked`,
    '',
  ];
  if (summary.problems.length > 0) {
    lines.push('!!! PROBLEMS !!!', ...summary.problems.map((problem) => `!!! ${problem}`), '');
  }
  return lines.join('\n');
}
