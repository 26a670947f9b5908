import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/tokens.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

// The real server process, killed with SIGKILL while commands are in flight: every command it
// acknowledged is still in the log after a restart, and the read models catch up to it.
const SECRET = 'crash-test-secret-crash-test-secret-0123456789';
const dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-crash-'));
const env = { DATA_DIR: dataDir, AUTH_SECRET: SECRET };
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('SIGKILL at any moment loses no acknowledged command', () => {
  it('keeps every acknowledged append across a kill and restart; read models catch up', async () => {
    const token = await issueToken(SECRET, 'crash-tester', 'engineer');
    server = await startServerProcess(env);
    const requirement = await call(server.url, token, 'POST', '/api/requirements', {
      title: 'Durability', description: '', priority: 'high', acceptanceCriteria: ['nothing lost'],
    });
    await call(server.url, token, 'POST', `/api/requirements/${requirement.body.id}/approve`);

    // 8 clients create features as fast as they can; the server is killed mid-stream.
    const acknowledged: Array<{ id: string; position: string }> = [];
    let stop = false;
    const url = server.url;
    const clients = Array.from({ length: 8 }, async (_, client) => {
      for (let n = 0; !stop; n++) {
        try {
          const created = await call(url, token, 'POST', '/api/features', {
            requirementId: requirement.body.id, name: `f-${client}-${n}`, complexityPoints: 1, developer: 'dee',
          });
          if (created.status === 201) acknowledged.push({ id: created.body.id, position: created.body.position });
        } catch {
          return; // connection refused or reset: the server is gone
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await server.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
    expect(acknowledged.length).toBeGreaterThan(20);

    server = await startServerProcess(env);
    const last = acknowledged.map((a) => BigInt(a.position)).reduce((a, b) => (a > b ? a : b));
    const missing: string[] = [];
    for (const { id } of acknowledged) {
      const history = await call(server.url, token, 'GET', `/api/features/${id}/history`);
      if (history.status !== 200 || history.body.items[0]?.type !== 'FeatureCreated') missing.push(id);
    }
    expect(missing).toEqual([]);

    // The read model catches up to everything acknowledged before the kill.
    const listed = new Set<string>();
    let query = `requirementId=${requirement.body.id}&limit=500&consistentWith=${last}`;
    for (;;) {
      const page = await call(server.url, token, 'GET', `/api/features?${query}`);
      expect(page.status).toBe(200);
      for (const item of page.body.items as Array<{ id: string }>) listed.add(item.id);
      if (!page.body.nextCursor) break;
      query = `requirementId=${requirement.body.id}&limit=500&cursor=${page.body.nextCursor}`;
    }
    expect(acknowledged.filter((a) => !listed.has(a.id))).toEqual([]);
  }, 90_000);
});
