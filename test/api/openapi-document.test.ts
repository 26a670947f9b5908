import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The OpenAPI document lists every status an operation can give and every format it enforces.
let api: TestApp;
let doc: any;
beforeAll(async () => {
  api = await startTestApp();
  doc = (await api.request('GET', '/openapi.json', { role: null })).body;
});
afterAll(async () => api.close());

const statuses = (path: string, method: string) => Object.keys(doc.paths[path][method].responses);
const parameter = (path: string, method: string, name: string) => doc.paths[path][method].parameters.find((p: { name: string }) => p.name === name).schema;

describe('OpenAPI document', () => {
  it.each([
    ['/api/commands/{commandId}', 'get', ['400', '401', '403', '404']],
    ['/api/commands/{commandId}/undo', 'post', ['400', '401', '403', '404', '409', '412', '415', '422']],
    ['/api/features/{id}', 'get', ['400', '401', '403', '404', '504']],
    ['/api/pipelines', 'post', ['400', '401', '403', '404', '409', '412', '413', '415', '422', '503']],
    ['/api/testplans/{featureId}', 'get', ['400', '401', '403', '404']],
  ])('%s %s documents %j', (path, method, expected) => {
    expect(statuses(path, method)).toEqual(expect.arrayContaining(expected));
  });

  it('states the formats the API enforces', () => {
    expect(parameter('/api/features', 'get', 'consistentWith').pattern).toBeDefined();
    expect(parameter('/api/features', 'get', 'cursor').pattern).toBeDefined();
    expect(parameter('/api/features', 'get', 'limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
    expect(parameter('/api/features/{id}', 'patch', 'if-match').pattern).toBeDefined();
    expect(parameter('/api/features/{id}', 'patch', 'idempotency-key').pattern).toBeDefined();
    expect(doc.paths['/api/features/{id}'].patch.requestBody.content['application/json'].schema.minProperties).toBe(1);
  });

  it('publishes patterns that match what the API accepts (JSON Schema patterns carry no flags)', () => {
    const body = doc.paths['/api/builds'].post.requestBody.content['application/json'].schema.properties;
    expect(new RegExp(body.commit.pattern).test('0A1B2C3d')).toBe(true);
    expect(new RegExp(body.repository.pattern).test('GitHub.com/acme/shop')).toBe(true);
    const ifMatch = parameter('/api/features/{id}', 'patch', 'if-match');
    expect(ifMatch.format).toBe('etag');
    expect(['*', '"3"', 'W/"3"'].every((value) => new RegExp(ifMatch.pattern).test(value))).toBe(true);
    expect(new RegExp(parameter('/api/audit/stream', 'get', 'after').pattern).test('')).toBe(false);
  });

  it('documents the consistentWith timeout with its Retry-After on every query that takes it', () => {
    const queries = Object.values(doc.paths).flatMap((operations: any) =>
      Object.values(operations).filter((operation: any) => operation.parameters?.some((p: { name: string }) => p.name === 'consistentWith')),
    );
    expect(queries.length).toBeGreaterThan(10);
    for (const operation of queries as any[]) {
      expect(operation.responses['504'].headers['Retry-After']).toMatchObject({ required: true });
    }
  });
});
