import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { requestedBuild } from './support/deliveries.js';

const read = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'integrations', name), 'utf8');

let api: TestApp;
let buildId: string;
beforeAll(async () => {
  api = await startTestApp();
  ({ buildId } = await requestedBuild(api, 'abcdef1234'));
});
afterAll(async () => api.close());

async function upload(what: 'test-runs' | 'security-scans', body: string, contentType: string, query = '') {
  return api.request('POST', `/api/builds/${buildId}/${what}${query}`, { body, headers: { 'content-type': contentType } });
}

async function latest(field: 'latestTestRun' | 'latestSecurityScan', position: string) {
  return (await api.request('GET', `/api/builds/${buildId}?consistentWith=${position}`)).body[field];
}

describe('POST /api/builds/{id}/test-runs with JUnit XML', () => {
  it('records the counts of the report, with the coverage given as ?coverage=', async () => {
    const response = await upload('test-runs', read('junit-passing.xml'), 'application/xml', '?coverage=91');
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.events).toEqual(['TestRunRecorded']);
    expect(await latest('latestTestRun', response.body.position)).toEqual({ passed: 118, failed: 0, coverage: 91 });
  });

  it('takes text/xml, and records a report without coverage as 0% covered', async () => {
    const response = await upload('test-runs', read('junit-counted-cases.xml'), 'text/xml; charset=utf-8');
    expect(response.status).toBe(200);
    expect(await latest('latestTestRun', response.body.position)).toEqual({ passed: 2, failed: 2, coverage: 0 });
  });

  it('answers 400 with the reason to a malformed report or a bad coverage, appending nothing', async () => {
    const before = await api.backends.events.headPosition();
    const broken = await upload('test-runs', '<testsuites><testsuite tests="3">', 'application/xml');
    const coverage = await upload('test-runs', read('junit-passing.xml'), 'application/xml', '?coverage=high');
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toContain('application/problem+json');
    expect(broken.body.detail).toMatch(/^the JUnit XML document cannot be read: .*line/);
    expect(coverage.status).toBe(400);
    expect(coverage.body.errors[0].path).toBe('query.coverage');
    expect(await api.backends.events.headPosition()).toBe(before);
  });

  it('keeps the JSON body working, and answers 415 to XML on routes that take only JSON', async () => {
    const json = await api.request('POST', `/api/builds/${buildId}/test-runs`, { body: { passed: 5, failed: 0, coverage: 88 } });
    expect(json.status).toBe(200);
    const result = await api.request('POST', `/api/builds/${buildId}/result`, { body: '<result/>', headers: { 'content-type': 'application/xml' } });
    expect(result.status).toBe(415);
  });

  it('answers 413 to a report over the body limit', async () => {
    const cases = '<testcase name="x"/>'.repeat(5000);
    const response = await upload('test-runs', `<testsuite>${cases}</testsuite>`, 'application/xml');
    expect(response.status).toBe(413);
  });
});

describe('POST /api/builds/{id}/security-scans with SARIF 2.1.0', () => {
  it('records one finding per rule with its severity (application/sarif+json)', async () => {
    const response = await upload('security-scans', read('sarif-trivy.sarif.json'), 'application/sarif+json');
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(await latest('latestSecurityScan', response.body.position)).toEqual({
      findings: [
        { id: 'CVE-2024-0001', severity: 'critical' },
        { id: 'CVE-2024-0002', severity: 'medium' },
        { id: 'CVE-2024-0003', severity: 'low' },
      ],
    });
  });

  it('recognises SARIF sent as application/json by its version', async () => {
    const response = await upload('security-scans', read('sarif-codeql.sarif.json'), 'application/json');
    expect(response.status).toBe(200);
    expect((await latest('latestSecurityScan', response.body.position)).findings).toContainEqual({ id: 'js/sql-injection', severity: 'high' });
  });

  it('still takes the native findings body', async () => {
    const response = await api.request('POST', `/api/builds/${buildId}/security-scans`, { body: { findings: [{ id: 'x', severity: 'low' }] } });
    expect(response.status).toBe(200);
  });

  it('answers 400 with paths to a log that is not SARIF 2.1.0, or not JSON', async () => {
    const wrong = await upload('security-scans', JSON.stringify({ version: '2.1.0', runs: [{ results: [] }] }), 'application/sarif+json');
    const notJson = await upload('security-scans', '{"version": "2.1.0",', 'application/sarif+json');
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.map((e: any) => e.path)).toContain('body.runs.0.tool');
    expect(notJson.status).toBe(400);
  });
});

describe('the OpenAPI document', () => {
  it('documents the JUnit and SARIF media types beside JSON', async () => {
    const doc = (await api.request('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/builds/{id}/test-runs'].post.requestBody.content)).toEqual(['application/json', 'application/xml', 'text/xml']);
    expect(Object.keys(doc.paths['/api/builds/{id}/security-scans'].post.requestBody.content)).toEqual(['application/json', 'application/sarif+json']);
  });
});
