import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// A path the API has, asked with a method it does not declare there, is 405 with Allow.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

const ID = '01JD4Z3N8Q9V7W2X5Y6Z7A8B9C';

describe('undeclared methods', () => {
  it.each([
    ['PATCH', `/api/requirements/${ID}`, 'GET, HEAD'],
    ['DELETE', '/api/requirements', 'GET, HEAD, POST'],
    ['PUT', `/api/features/${ID}`, 'DELETE, GET, HEAD, PATCH'],
    ['GET', `/api/commands/${ID}/undo`, 'POST'],
    ['POST', '/health', 'GET, HEAD'],
  ])('%s %s is 405 with Allow: %s', async (method, path, allow) => {
    const response = await api.request(method, path, { body: method === 'GET' ? undefined : {} });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('is 405 before any other check, even with an Idempotency-Key a command already used', async () => {
    const headers = { 'idempotency-key': 'undeclared-method-key' };
    const body = { title: 'Kept key', description: '', priority: 'low', acceptanceCriteria: ['listed'] };
    expect((await api.request('POST', '/api/requirements', { body, headers })).status).toBe(201);
    const undeclared = await api.request('PUT', '/api/requirements', { body, headers });
    expect(undeclared.status).toBe(405);
    expect(undeclared.headers.get('allow')).toBe('GET, HEAD, POST');
  });

  it('an unknown path is still 404', async () => {
    expect((await api.request('GET', '/api/nothing-here')).status).toBe(404);
  });

  it('authentication still comes first', async () => {
    expect((await api.request('PATCH', `/api/requirements/${ID}`, { role: null })).status).toBe(401);
  });
});
