import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Authentication comes before anything reads the body: a client without a valid token learns
// nothing about body rules and cannot make the server buffer a body.
const logged: Array<{ level: number; msg: string; err?: unknown }> = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });

let api: TestApp;
beforeAll(async () => {
  api = await startTestApp({}, { logger });
});
afterAll(async () => api.close());

describe('unauthenticated requests with a body', () => {
  it.each([
    ['a body that is not JSON', { 'content-type': 'text/plain' }, 'hello'],
    ['a body over the size limit', { 'content-type': 'application/json' }, JSON.stringify({ title: 'x'.repeat(70 * 1024) })],
    ['malformed JSON', { 'content-type': 'application/json' }, '{"title":'],
  ])('answer 401 to %s', async (_case, headers, body) => {
    const response = await api.request('POST', '/api/requirements', { role: null, headers, body });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('answer 401 without reading a body that never ends', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode('{"a":'));
      },
    });
    const response = await api.fetch(new Request('http://test/api/requirements', { method: 'POST', headers: { 'content-type': 'application/json' }, body: endless, duplex: 'half' } as RequestInit));
    expect(response.status).toBe(401);
    expect(pulled).toBeLessThanOrEqual(1);
  });
});

describe('a client that aborts mid-body', () => {
  it('is answered as a client error, logs no error and counts no 500', async () => {
    const token = await api.token('engineer');
    const aborted = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"title":"half'));
        controller.error(new Error('aborted'));
      },
    });
    logged.length = 0;
    const response = await api.fetch(
      new Request('http://test/api/requirements', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        body: aborted,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(logged.filter((line) => line.level >= 50)).toEqual([]);
    expect(logged.some((line) => line.err !== undefined)).toBe(false);
    const metrics = await api.request('GET', '/metrics', { role: null });
    expect(metrics.body).not.toMatch(/agent_ledger_http_requests_total\{[^}]*status="500"/);
  });
});
