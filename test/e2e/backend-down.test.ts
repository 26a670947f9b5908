import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/tokens.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

// A read store that is down when the processes start: the API answers 503 with Retry-After (never
// 500, never a hang) and the worker waits for it instead of crashing.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'backend-down-secret-backend-down-secret-0123';
const UNREACHABLE = 'mongodb://127.0.0.1:1/agent_ledger';
const dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-down-'));
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a backend that is down at start', () => {
  it('the API serves 503 with Retry-After for queries and /ready', async () => {
    server = await startServerProcess({ DATA_DIR: dataDir, AUTH_SECRET: SECRET, MONGODB_URL: UNREACHABLE });
    const token = await issueToken(SECRET, 'ops', 'viewer');
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).not.toBeNull();
    const started = Date.now();
    const query = await fetch(`${server.url}/api/features`, { headers: { authorization: `Bearer ${token}` } });
    expect(query.status).toBe(503);
    expect(query.headers.get('content-type')).toContain('application/problem+json');
    expect(query.headers.get('retry-after')).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);

  it('the worker keeps waiting for it instead of exiting', async () => {
    const worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, AUTH_SECRET: SECRET, MONGODB_URL: UNREACHABLE, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    worker.stdout.on('data', (chunk) => (output += chunk));
    worker.stderr.on('data', (chunk) => (output += chunk));
    try {
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(worker.exitCode).toBeNull();
      expect(output).toContain('waiting for it');
    } finally {
      worker.kill('SIGKILL');
    }
  }, 30_000);
});
