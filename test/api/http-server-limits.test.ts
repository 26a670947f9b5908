import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { issueToken } from '../../src/auth/tokens.js';

const SECRET = 'limits-secret-limits-secret-limits-secret-0123';

// The HTTP server itself bounds what a client can hold open, and answers what it refuses in
// problem+json like the app does.
let server: ServerProcess;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-limits-'));
  server = await startServerProcess({ DATA_DIR: dataDir, AUTH_SECRET: SECRET, HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000' });
}, 60_000);
afterAll(async () => {
  await server?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Writes `chunks` (the last one after `pauseMs`) and collects what comes back until the server closes. */
function exchange(first: string, options: { pauseMs?: number; rest?: string } = {}): Promise<{ text: string; ms: number }> {
  const { port, hostname } = new URL(server.url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve({ text, ms: Date.now() - started }));
    socket.write(first);
    if (options.rest !== undefined) setTimeout(() => socket.writable && socket.write(options.rest!), options.pauseMs ?? 0);
    setTimeout(() => socket.destroy(), 15_000);
  });
}

describe('HTTP server limits', () => {
  it('headers too large are a 431 with a problem+json body', async () => {
    const { text } = await exchange(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(text).toMatch(/^HTTP\/1\.1 431 /);
    expect(text.toLowerCase()).toContain('content-type: application/problem+json');
    expect(text).toContain('"status":431');
  });

  it('headers that never end are cut off by the headers timeout with a 408', async () => {
    const { text, ms } = await exchange('GET /health HTTP/1.1\r\nHost: x\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toContain('"status":408');
    expect(ms).toBeLessThan(8_000);
  });

  it('a body that never ends is cut off by the request timeout', async () => {
    const token = await issueToken(SECRET, 'slow', 'engineer');
    const { text, ms } = await exchange(
      `POST /api/requirements HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`,
    );
    expect(text).toMatch(/408/);
    expect(ms).toBeLessThan(10_000);
  });

  it('a malformed request line is a 400 with a problem+json body', async () => {
    const { text } = await exchange('NOT HTTP AT ALL\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('"status":400');
  });
});
