import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Request bodies are read as sent: a compressed body is refused, never parsed as if plain.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

const requirement = { title: 'Compressed', description: '', priority: 'low', acceptanceCriteria: ['x'] };

describe('Content-Encoding', () => {
  it.each(['gzip', 'br', 'deflate', 'gzip, identity', 'x-custom'])('%s is answered 415 with Accept-Encoding: identity, appending nothing', async (coding) => {
    const before = await api.backends.events.headPosition();
    const token = await api.token('engineer');
    const response = await api.fetch(
      new Request('http://test/api/requirements', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': coding },
        body: coding === 'gzip' ? gzipSync(JSON.stringify(requirement)) : JSON.stringify(requirement),
      }),
    );
    expect(response.status).toBe(415);
    expect(response.headers.get('accept-encoding')).toBe('identity');
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await api.backends.events.headPosition()).toBe(before);
  });

  it('identity is the body as sent', async () => {
    const response = await api.request('POST', '/api/requirements', { body: requirement, headers: { 'content-encoding': 'identity' } });
    expect(response.status).toBe(201);
  });
});
