import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyToken } from '../../src/auth/tokens.js';

// Starting with a bad configuration fails at once with one line naming the variable.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function run(script: string, env: Record<string, string>, args: string[] = []) {
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('configuration', () => {
  it.each([
    ['EVENTSTORE_URL', 'http://localhost:2113'],
    ['MONGODB_URL', 'postgres://localhost/x'],
    ['PORT', 'eighty'],
    ['AUTH_SECRET', 'too-short'],
    ['RATE_LIMIT_RPS', '-1'],
  ])('refuses %s=%s with a one-line message naming it', (name, value) => {
    const result = run('src/main.ts', { [name]: value });
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
  });

  it('npm run token signs with the secret generated in DATA_DIR when AUTH_SECRET is unset', async () => {
    const result = run('src/cli/token.ts', {}, ['--sub', 'alice', '--role', 'admin']);
    expect(result.status).toBe(0);
    const secret = readFileSync(join(dataDir, 'auth-secret'), 'utf8').trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(await verifyToken(secret, result.stdout.trim())).toMatchObject({ sub: 'alice', role: 'admin' });
  });

  it('npm run token refuses an unknown role', () => {
    const result = run('src/cli/token.ts', {}, ['--sub', 'alice', '--role', 'root']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage');
  });
});
