import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/tokens.js';
import { startServerProcess, startWorkerProcess, type ServerProcess } from '../support/server-process.js';
import { checkLog, compareWithFreshReplay } from '../support/crash-checks.js';
import { approvedRequirement, call, eventually, startCommandLoad } from '../support/command-load.js';

// Two worker processes and an API on one DATA_DIR (the embedded stores, shared by processes).
// The worker holding the leases is killed with SIGKILL under command load: the other takes
// every projection and agent over within 10 s, the read models reach the head, and nothing is
// applied twice nor any agent command issued twice.
const SECRET = 'failover-test-secret-failover-test-secret-0123';
const dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-failover-'));
const env = { DATA_DIR: dataDir, AUTH_SECRET: SECRET, RUN_PROJECTIONS: 'false' };
const processes: ServerProcess[] = [];

afterAll(async () => {
  for (const process of processes) await process.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

type Status = { name: string; heldBy: string | null; lag: number };

async function statuses(url: string, token: string): Promise<Status[]> {
  const response = await call(url, token, 'GET', '/api/projections');
  if (response.status !== 200) throw new Error(`GET /api/projections answered ${response.status}`);
  return response.body.items as Status[];
}

describe('several workers: failover', () => {
  it('a SIGKILLed worker\'s projections and agents move to the other within 10 s, with nothing applied or issued twice', async () => {
    const token = await issueToken(SECRET, 'failover-tester', 'admin');
    const api = await startServerProcess(env);
    processes.push(api);
    const first = await startWorkerProcess(env);
    processes.push(first);
    const second = await startWorkerProcess(env);
    processes.push(second);

    const requirementId = await approvedRequirement(api.url, token);
    const load = startCommandLoad({ url: api.url, token, requirementId, connections: 8 });
    // Given the first worker holds every projection (it started first) and they are running...
    const before = await eventually(async () => {
      const items = await statuses(api.url, token);
      return items.every((item) => item.heldBy === first.url) ? items : null;
    }, 'the first worker to hold every projection');
    expect(before.length).toBeGreaterThan(3);
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // ...when it is killed mid-load...
    await first.kill('SIGKILL');
    const killedAt = Date.now();
    const after = await eventually(async () => {
      const items = await statuses(api.url, token);
      return items.every((item) => item.heldBy === second.url) ? items : null;
    }, 'the second worker to hold every projection', 15_000, 50);
    const takeoverMs = Date.now() - killedAt;
    expect(after.map((item) => item.name)).toEqual(before.map((item) => item.name));
    expect(takeoverMs).toBeLessThan(10_000);

    // ...the load goes on for a while, then the read models reach the head.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await load.stop();
    expect(load.features.length).toBeGreaterThan(20);
    await eventually(async () => (await statuses(api.url, token)).every((item) => item.lag === 0), 'the read models to reach the head');

    // The agents moved too: every feature, also those created after the kill, got its test plan exactly once.
    const planned = await eventually(async () => {
      const log = checkLog(dataDir, load.features.map((id) => ({ stream: `testplan-${id}`, type: 'TestCasesGenerated' })));
      return log.missing.length === 0 ? log : null;
    }, 'a test plan for every feature');
    expect(planned.twice).toEqual([]);
    expect(planned.duplicatedAgentCommands).toBe(0);
    expect(planned.agentCommands).toBeGreaterThanOrEqual(load.features.length);

    const log = checkLog(dataDir, load.acknowledged);
    expect({ missing: log.missing, twice: log.twice, duplicatedEvents: log.duplicatedEvents, duplicatedCommands: log.duplicatedCommands }).toEqual({
      missing: [], twice: [], duplicatedEvents: 0, duplicatedCommands: 0,
    });

    await second.kill('SIGTERM');
    await api.kill('SIGTERM');
    const replay = await compareWithFreshReplay(dataDir);
    expect(replay.documents).toBeGreaterThan(load.features.length);
    expect(replay.differences).toEqual([]);
  }, 120_000);
});
