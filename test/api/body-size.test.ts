import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The test app's limit is 64 KiB. A body may declare its length or arrive without one.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

const LIMIT = 64 * 1024;
const requirement = (description: string) =>
  JSON.stringify({ title: 'Body size', description, priority: 'low', acceptanceCriteria: ['fits'] });

describe('body size limit', () => {
  it('given a declared Content-Length over the limit, when posted, then 413 and nothing is appended', async () => {
    const before = await api.backends.events.headPosition();
    const body = requirement('x'.repeat(LIMIT));
    const response = await api.request('POST', '/api/requirements', { body, headers: { 'content-length': String(Buffer.byteLength(body)) } });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await api.backends.events.headPosition()).toBe(before);
  });

  it('given a declared Content-Length within the limit, when posted, then the body is read and the command runs', async () => {
    const body = requirement('x'.repeat(10_000));
    const response = await api.request('POST', '/api/requirements', { body, headers: { 'content-length': String(Buffer.byteLength(body)) } });
    expect(response.status).toBe(201);
  });

  it('given a body of undeclared length over the limit, when posted, then 413 from counting the stream', async () => {
    const response = await api.request('POST', '/api/requirements', { body: requirement('x'.repeat(LIMIT)) });
    expect(response.status).toBe(413);
  });
});
