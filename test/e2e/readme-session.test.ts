import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

// The README's example session, run as written against `npm start`, so the README cannot drift.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const missing = ['curl', 'jq'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
if (missing.length > 0) console.warn(`\n*** SKIPPING the README session test: ${missing.join(', ')} not installed ***\n`);

function exampleSession(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Example session'));
  const block = section.match(/```sh\n([\s\S]*?)```/);
  if (!block) throw new Error('README has no ```sh block under "## Example session"');
  return block[1]!;
}

let server: ServerProcess;
let dataDir: string;
beforeAll(async () => {
  if (missing.length > 0) return;
  dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-readme-'));
  server = await startServerProcess({ DATA_DIR: dataDir });
}, 60_000);
afterAll(async () => {
  await server?.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(missing.length > 0)('the README example session', () => {
  it('runs with bash against a started server, every request succeeding, with the outputs it promises', () => {
    const run = spawnSync('bash', ['-c', `set -euo pipefail\n${exampleSession()}`], {
      cwd: ROOT,
      env: { ...process.env, API: server.url, DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, `stderr:\n${run.stderr}\nstdout:\n${run.stdout}`).toBe(0);
    // curl prints JSON without a newline, so jq's lines may follow it on the same line.
    const printed = (pattern: RegExp) => [...run.stdout.matchAll(pattern)].map((match) => match[1]);
    // Read-your-writes, then the undo, then the time travel, in the order the session prints them.
    expect(printed(/(SSO login|Login)$/gm)).toEqual(['SSO login', 'Login', 'SSO login']);
    expect(printed(/(deployment\.start)$/gm)).toEqual(['deployment.start']);
    expect(run.stdout).toMatch(/^audit$/m);
    expect(run.stdout).toMatch(/^features$/m);
    expect(run.stdout).toContain('"dryRun":true');
    expect(run.stdout).toContain('FeatureReverted');
  }, 150_000);
});
