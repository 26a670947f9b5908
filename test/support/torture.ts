// Crash torture: the server under command load, SIGKILLed at random moments, again and again;
// after each restart every acknowledged command must be in the log exactly once and every read
// model must equal a fresh replay of the log. Run by `npm run torture` and, shortly, by a test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../../src/auth/tokens.js';
import { startServerProcess, startWorkerProcess, type ServerProcess } from './server-process.js';
import { checkLog, compareWithFreshReplay, type Acknowledged } from './crash-checks.js';
import { approvedRequirement, call, eventually, startCommandLoad } from './command-load.js';

export interface TortureOptions {
  kills: number;
  /** 0: one server running everything (the embedded default); else an API and this many workers. */
  workers: number;
  connections: number;
  /** The load runs for a random time in this range before each kill (ms). */
  loadMs: [number, number];
  log?: (line: string) => void;
}

export interface TortureCounts {
  mode: string;
  kills: number;
  /** Which process each kill hit: 'server', 'api', 'worker'. */
  killed: Record<string, number>;
  acknowledged: number;
  unanswered: number;
  missing: number;
  twice: number;
  duplicatedCommands: number;
  duplicatedAgentCommands: number;
  events: number;
  readModelDocuments: number;
  readModelDifferences: number;
}

const SECRET = 'torture-secret-torture-secret-torture-0123456';

export async function torture(options: TortureOptions): Promise<TortureCounts> {
  const say = options.log ?? (() => undefined);
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-torture-'));
  const env = { DATA_DIR: dataDir, AUTH_SECRET: SECRET, ...(options.workers > 0 ? { RUN_PROJECTIONS: 'false' } : {}) };
  const mode = options.workers > 0 ? `api + ${options.workers} workers` : 'single server';
  const token = await issueToken(SECRET, 'torture', 'admin');
  const counts: TortureCounts = {
    mode, kills: 0, killed: {}, acknowledged: 0, unanswered: 0, missing: 0, twice: 0,
    duplicatedCommands: 0, duplicatedAgentCommands: 0, events: 0, readModelDocuments: 0, readModelDifferences: 0,
  };
  let api = await startServerProcess(env);
  const workers: ServerProcess[] = [];
  for (let n = 0; n < options.workers; n++) workers.push(await startWorkerProcess(env));
  const acknowledged: Acknowledged[] = [];
  const features: string[] = [];
  try {
    const requirementId = await approvedRequirement(api.url, token);
    for (let round = 1; round <= options.kills; round++) {
      const load = startCommandLoad({ url: api.url, token, requirementId, connections: options.connections, label: `r${round}` });
      await sleep(between(options.loadMs));
      // Kill one process at random: the API or a worker (the lease holder as likely as any).
      const victim = Math.floor(Math.random() * (workers.length + 1));
      const kind = victim === 0 ? (workers.length > 0 ? 'api' : 'server') : 'worker';
      if (victim === 0) await api.kill('SIGKILL');
      else await workers[victim - 1]!.kill('SIGKILL');
      counts.kills++;
      counts.killed[kind] = (counts.killed[kind] ?? 0) + 1;
      if (victim === 0) {
        api = await startServerProcess(env);
        load.retarget(api.url);
      } else {
        workers[victim - 1] = await startWorkerProcess(env);
      }
      // The load goes on against the restarted process for a moment, then stops.
      await sleep(300);
      await load.stop();
      acknowledged.push(...load.acknowledged);
      features.push(...load.features);
      counts.unanswered += load.unanswered;

      const round_ = await check(api.url, token, dataDir, acknowledged, features);
      Object.assign(counts, {
        acknowledged: acknowledged.length,
        missing: round_.missing,
        twice: round_.twice,
        duplicatedCommands: round_.duplicatedCommands,
        duplicatedAgentCommands: round_.duplicatedAgentCommands,
        events: round_.events,
        readModelDocuments: round_.documents,
      });
      counts.readModelDifferences += round_.differences;
      say(`[${mode}] kill ${round}/${options.kills} (${kind}): ${acknowledged.length} acknowledged, ${round_.events} events, missing ${round_.missing}, twice ${round_.twice}, agent commands twice ${round_.duplicatedAgentCommands}, read model differences ${round_.differences} of ${round_.documents} documents`);
    }
    return counts;
  } finally {
    for (const process of [api, ...workers]) await process.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Waits for the agents and read models to settle, then checks the log and replays it. */
async function check(url: string, token: string, dataDir: string, acknowledged: Acknowledged[], features: string[]) {
  await eventually(async () => checkLog(dataDir, features.map((id) => ({ stream: `testplan-${id}`, type: 'TestCasesGenerated' }))).missing.length === 0, 'a test plan for every feature', 60_000, 200);
  await eventually(async () => {
    const response = await call(url, token, 'GET', '/api/projections');
    return response.status === 200 && (response.body.items as Array<{ lag: number }>).every((item) => item.lag === 0);
  }, 'the read models to reach the head', 60_000, 200);
  const log = checkLog(dataDir, acknowledged);
  const replay = await compareWithFreshReplay(dataDir);
  return {
    events: log.events,
    missing: log.missing.length,
    twice: log.twice.length,
    duplicatedCommands: log.duplicatedCommands,
    duplicatedAgentCommands: log.duplicatedAgentCommands,
    documents: replay.documents,
    differences: replay.differences.length,
  };
}

function between([low, high]: [number, number]): number {
  return low + Math.random() * (high - low);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
