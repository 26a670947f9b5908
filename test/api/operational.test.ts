import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

describe('outside /api', () => {
  it('/health answers without a token', async () => {
    const response = await api.request('GET', '/health', { role: null });
    expect(response).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('/ready reports each backend', async () => {
    const response = await api.request('GET', '/ready', { role: null });
    expect(response.status).toBe(200);
    expect(response.body.backends).toEqual([
      { name: 'event store', kind: 'sqlite', status: 'up', circuit: 'closed' },
      { name: 'read store', kind: 'embedded', status: 'up', circuit: 'closed' },
    ]);
  });

  it('/metrics is Prometheus text with request and projection-lag series', async () => {
    await api.request('GET', '/api/features');
    const response = await api.request('GET', '/metrics', { role: null });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(response.body).toContain('agent_ledger_http_requests_total{method="GET",route="/api/features",status="200"}');
    expect(response.body).toContain('agent_ledger_projection_lag_events{projection="audit"}');
  });

  it('/openapi.json documents every command and query route from the same zod schemas', async () => {
    const response = await api.request('GET', '/openapi.json', { role: null });
    expect(response.status).toBe(200);
    const paths = Object.keys(response.body.paths);
    for (const path of [
      '/api/requirements',
      '/api/requirements/{id}/approve',
      '/api/features/{id}',
      '/api/features/{id}/revert',
      '/api/builds/{id}/security-scans',
      '/api/deployments/{id}/rollback',
      '/api/incidents/{id}/resolve',
      '/api/commands/{commandId}/undo',
      '/api/audit',
      '/api/projections',
    ]) {
      expect(paths).toContain(path);
    }
    const capture = response.body.paths['/api/requirements'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(capture)).toContain('"maxLength":200');
  });

  it('/docs serves the API explorer', async () => {
    const response = await api.request('GET', '/docs', { role: null });
    expect(response.status).toBe(200);
    expect(String(response.body)).toContain('swagger');
  });
});
