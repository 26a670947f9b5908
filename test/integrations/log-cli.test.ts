import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/index.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'agent-ledger-log-cli-'));

function log(dataDir: string, ...args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/log.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', MONGODB_URL: '', EVENTSTORE_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolveDone) => child.once('exit', (code) => resolveDone({ code, stderr })));
}

beforeAll(async () => {
  const store = openSqliteEventStore({ file: join(work, 'source', 'events.db') });
  for (let i = 0; i < 25; i++) {
    await store.append(`feature-${i % 5}`, [{ id: randomUUID(), type: 'FeatureUpdated', data: { changes: { complexityPoints: i + 2 }, previous: { complexityPoints: i + 1 } }, metadata: { actor: 'alice' } }], 'any');
  }
  await store.close();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run log', { timeout: 60_000 }, () => {
  it('exports, imports into another data directory (twice: nothing doubles), backs up and restores', async () => {
    const file = join(work, 'log.ndjson');
    const exported = await log(join(work, 'source'), 'export', '--out', file);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('exported 25 events');
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(25);

    const target = join(work, 'target');
    expect((await log(target, 'import', file)).stderr).toContain('imported 25 events (0 were already there)');
    expect((await log(target, 'import', file)).stderr).toContain('imported 0 events (25 were already there)');

    const backup = join(work, 'backup');
    expect((await log(target, 'backup', backup)).code).toBe(0);
    const restoredDir = join(work, 'restored');
    expect((await log(restoredDir, 'restore', backup)).code).toBe(0);
    const again = join(work, 'again.ndjson');
    await log(restoredDir, 'export', '--out', again);
    const strip = (text: string) => text.trim().split('\n').map((line) => { const { position: _p, recordedAt: _r, ...rest } = JSON.parse(line); return rest; });
    expect(strip(readFileSync(again, 'utf8'))).toEqual(strip(readFileSync(file, 'utf8')));

    const refused = await log(restoredDir, 'restore', backup);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--force');
  });

  it('prints its usage and exits 2 for an unknown command', async () => {
    const result = await log(join(work, 'source'), 'frobnicate');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: npm run log --');
  });
});
