import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

// What a new user sees from `npm start` and `npm run token` outside a terminal.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let dataDir: string;
let server: ServerProcess;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-first-run-'));
  server = await startServerProcess({ DATA_DIR: dataDir });
}, 60_000);
afterAll(async () => {
  await server.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

function runToExit(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('first run', () => {
  it('outside a terminal, the start banner is a JSON log line naming the console and a token hint with DATA_DIR; stopping logs a line', async () => {
    const again = await startServerProcess({ DATA_DIR: dataDir });
    await again.kill('SIGTERM');
    // 'exit' can come before the last of stdout has been read.
    if (!again.child.stdout!.readableEnded) await new Promise((resolve) => again.child.stdout!.once('end', resolve));
    const lines = again.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
    const listening = lines.find((line) => line.msg === `agent-ledger listening on ${again.url}`);
    expect(listening).toMatchObject({ level: 30, url: again.url, console: `${again.url}/ui`, dataDir, tokenHint: `DATA_DIR=${dataDir} npm run token -- --sub alice --role engineer` });
    expect(lines.find((line) => line.msg === 'agent-ledger stopped')).toMatchObject({ signal: 'SIGTERM' });
  }, 60_000);

  it('a busy port is one clear line on stderr and exit code 2, not a stack trace', async () => {
    const port = new URL(server.url).port;
    const second = await runToExit(['src/main.ts'], { DATA_DIR: mkdtempSync(join(tmpdir(), 'agent-ledger-busy-')), PORT: port, LOG_LEVEL: 'silent' });
    expect(second.code).toBe(2);
    expect(second.stderr.trim()).toBe(`PORT ${port} on 127.0.0.1 is already in use: stop the other process or set PORT to a free port`);
  }, 60_000);

  it('npm run token -- --help prints the usage and exits 0; an unknown option is exit 2 with the usage', async () => {
    const help = await runToExit(['src/cli/token.ts', '--help'], { DATA_DIR: dataDir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run token -- --sub <name>/);
    const bad = await runToExit(['src/cli/token.ts', '--nope'], { DATA_DIR: dataDir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--nope'");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
