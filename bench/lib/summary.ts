import { loadavg } from 'node:os';
import type { BenchSettings } from './settings.js';
import type { BareHonoBenchmark } from './bare-hono-benchmark.js';
import type { LedgerBenchmark } from './ledger-benchmark.js';
import type { LoadFigures } from './load.js';
import type { ReplayFigures } from './replay.js';
import type { ReadModelDelay } from './read-model-delay.js';

export const RATIO_GOAL = 0.2;
/** A command's p99 from one connection, in milliseconds. */
export const SINGLE_CONNECTION_P99_GOAL_MS = 5;
/** Acknowledgement → visible in its read model, p99 under the 50-connection load, in milliseconds. */
export const READ_MODEL_DELAY_GOAL_MS = 50;

export interface BenchSummary {
  settings: { seconds: number; warmupSeconds: number; connections: number; features: number; createShare: number };
  ledger: Omit<LoadFigures, 'okPerSecond'> & { commandsPerSecond: number };
  bareHono: Omit<LoadFigures, 'okPerSecond'> & { requestsPerSecond: number };
  /** Ledger commands/s over bare Hono requests/s. */
  ratio: number;
  /**
   * Server CPU per bare Hono request over server CPU per ledger command (null without /proc).
   * The throughput ratio moves with how much CPU the load generator gets on a busy machine;
   * this one barely does, so it is the steadier figure to compare runs with.
   */
  cpuRatio: number | null;
  ratioGoal: number;
  /** One connection: the ledger's and bare Hono's latencies side by side; null when skipped. */
  singleConnection: {
    ledger: { commandsPerSecond: number; p50Ms: number; p99Ms: number };
    bareHono: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
    p99GoalMs: number;
    met: boolean;
  } | null;
  /** Acknowledgement → read model under the 50-connection load (bucket upper bounds). */
  readModelDelay: ReadModelDelay & { goalMs: number; met: boolean };
  /** The machine's load average when the figures were taken (1, 5, 15 minutes). */
  loadAverage: number[];
  replay: ReplayFigures & {
    /** Features the clients saw created (seeded, and 201s during the loads). */
    acknowledgedFeatures: number;
  };
  /** What went wrong; empty when every response was 2xx and the replay rebuilt everything. */
  problems: string[];
}

export function summarize(settings: BenchSettings, ledger: LedgerBenchmark, bare: BareHonoBenchmark, replay: ReplayFigures): BenchSummary {
  const bareHono = bare.load;
  const created = (figures: LoadFigures | null) => figures?.statusCodes['201'] ?? 0;
  const acknowledgedFeatures = ledger.seededFeatures + created(ledger.warmup) + created(ledger.load);
  return {
    settings: {
      seconds: settings.BENCH_SECONDS,
      warmupSeconds: settings.BENCH_WARMUP_SECONDS,
      connections: settings.BENCH_CONNECTIONS,
      features: settings.BENCH_FEATURES,
      createShare: settings.BENCH_CREATE_SHARE,
    },
    ledger: { commandsPerSecond: ledger.load.okPerSecond, ...withoutRate(ledger.load) },
    bareHono: { requestsPerSecond: bareHono.okPerSecond, ...withoutRate(bareHono) },
    ratio: bareHono.okPerSecond > 0 ? ledger.load.okPerSecond / bareHono.okPerSecond : 0,
    cpuRatio: cpuRatio(ledger.load.serverCpuMsPerOk, bareHono.serverCpuMsPerOk),
    ratioGoal: RATIO_GOAL,
    singleConnection:
      ledger.single && bare.single
        ? {
            ledger: { commandsPerSecond: ledger.single.okPerSecond, p50Ms: ledger.single.p50Ms, p99Ms: ledger.single.p99Ms },
            bareHono: { requestsPerSecond: bare.single.okPerSecond, p50Ms: bare.single.p50Ms, p99Ms: bare.single.p99Ms },
            p99GoalMs: SINGLE_CONNECTION_P99_GOAL_MS,
            met: ledger.single.p99Ms <= SINGLE_CONNECTION_P99_GOAL_MS,
          }
        : null,
    readModelDelay: { ...ledger.delay, goalMs: READ_MODEL_DELAY_GOAL_MS, met: ledger.delay.worstP99Ms !== null && ledger.delay.worstP99Ms <= READ_MODEL_DELAY_GOAL_MS },
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
    replay: { ...replay, acknowledgedFeatures },
    problems: findProblems(ledger, bare, replay, acknowledgedFeatures),
  };
}

function cpuRatio(ledgerMs: number | null, bareMs: number | null): number | null {
  return ledgerMs !== null && bareMs !== null && ledgerMs > 0 ? bareMs / ledgerMs : null;
}

/** The summary names each rate for what it counts (commands, requests) instead. */
function withoutRate(figures: LoadFigures): Omit<LoadFigures, 'okPerSecond'> {
  const { okPerSecond: _rate, ...rest } = figures;
  return rest;
}

function findProblems(ledger: LedgerBenchmark, bare: BareHonoBenchmark, replay: ReplayFigures, acknowledgedFeatures: number): string[] {
  const problems: string[] = [];
  const checkLoad = (name: string, figures: LoadFigures | null) => {
    if (!figures) return;
    if (figures.non2xx > 0) problems.push(`${name}: ${figures.non2xx} non-2xx responses ${JSON.stringify(figures.statusCodes)}`);
    if (figures.errors > 0) problems.push(`${name}: ${figures.errors} connection errors or timeouts`);
    if (figures.responses === 0) problems.push(`${name}: no responses at all`);
  };
  checkLoad('(a) ledger warm-up', ledger.warmup);
  checkLoad('(a) ledger', ledger.load);
  checkLoad('(a) ledger, 1 connection', ledger.single);
  checkLoad('(b) bare Hono', bare.load);
  checkLoad('(b) bare Hono, 1 connection', bare.single);
  if (ledger.delay.events === 0) problems.push('(a) the read-model delay histogram recorded nothing during the load');
  if (!replay.caughtUp) problems.push('(c) replay: not every projection reached the head of the log in time');
  if (replay.parked > 0) problems.push(`(c) replay: ${replay.parked} events parked`);
  // The load stops with requests in flight: the server may create features no client saw
  // acknowledged, but never lose one that was.
  if (replay.featuresInLog < acknowledgedFeatures) {
    problems.push(`(c) the log holds ${replay.featuresInLog} FeatureCreated events, but clients saw ${acknowledgedFeatures} features created`);
  }
  if (replay.features !== replay.featuresInLog) {
    problems.push(`(c) replay: ${replay.features} features rebuilt from ${replay.featuresInLog} FeatureCreated events`);
  }
  return problems;
}
