import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { approvedFeature, awaitBuildRequest, awaitRun, startPipeline } from '../pipelines/support/scripted-client.js';
import { GITHUB_SECRET, fixture, githubSignature, sendGithub } from './support/deliveries.js';

const read = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'integrations', name), 'utf8');

// The pipeline of a real team: GitHub Actions reports the build by webhook, the test runner
// uploads its JUnit report and the scanner its SARIF log. Nobody records a result by hand.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp({ GITHUB_WEBHOOK_SECRET: GITHUB_SECRET }, { agents: { pipelineSweepIntervalMs: 200, runner: { retryDelayMs: 50 } } });
});
afterAll(async () => api.close());

describe('a pipeline driven by CI integrations', () => {
  it('goes to production from a signed workflow_run delivery plus JUnit and SARIF uploads; forged and replayed deliveries change nothing', async () => {
    const commit = '5e1f0c2b9a7d4e3f8a6b1c0d9e8f7a6b5c4d3e2f';
    const { featureId } = await approvedFeature(api);
    const run = await startPipeline(api, { featureId, commit: commit.slice(0, 12), environment: 'production', strategy: 'canary', version: '4.2.0' });
    await awaitBuildRequest(api, run);
    // The builds read model is where a delivery finds its build: wait until it shows this one.
    const head = await api.backends.events.headPosition();
    expect((await api.request('GET', `/api/builds/${run.id}?consistentWith=${head}`)).status).toBe(200);

    const payload = fixture('github-workflow-run-completed', commit);
    const forged = await sendGithub(api, 'workflow_run', payload, { deliveryId: 'deploy-run-1', signature: githubSignature(JSON.stringify(payload), 'guessed') });
    expect(forged.status).toBe(401);
    expect((await api.request('GET', `/api/builds/${run.id}`)).body.status).toBe('requested');

    const delivered = await sendGithub(api, 'workflow_run', payload, { deliveryId: 'deploy-run-1' });
    expect(delivered.body).toMatchObject({ status: 'matched', builds: [{ buildId: run.id, result: 'recorded' }] });
    const tests = await api.request('POST', `/api/builds/${run.id}/test-runs?coverage=91`, {
      body: read('junit-passing.xml'),
      headers: { 'content-type': 'application/xml', 'x-correlation-id': run.correlationId },
    });
    expect(tests.status).toBe(200);
    const scan = await api.request('POST', `/api/builds/${run.id}/security-scans`, {
      body: read('sarif-clean.sarif.json'),
      headers: { 'content-type': 'application/sarif+json', 'x-correlation-id': run.correlationId },
    });
    expect(scan.status).toBe(200);

    const done = await awaitRun(api, run, (doc) => doc.status !== 'running', 'the run to finish', 20_000);
    expect(done).toMatchObject({ status: 'succeeded', environment: 'production', version: '4.2.0' });
    expect(done.checks).toEqual({
      build: { passed: true, detail: 'build succeeded in 247000 ms' },
      test_run: { passed: true, detail: '118 passed, 0 failed, 91% coverage' },
      security_scan: { passed: true, detail: '0 finding(s), 0 high or critical' },
    });

    const after = await api.backends.events.headPosition();
    const replayed = await sendGithub(api, 'workflow_run', payload, { deliveryId: 'deploy-run-1' });
    expect(replayed.body.duplicate).toBe(true);
    expect(await api.backends.events.headPosition()).toBe(after);
    const history = (await api.request('GET', `/api/builds/${run.id}/history`)).body.items;
    expect(history.filter((event: any) => event.type === 'BuildSucceeded').map((event: any) => event.metadata.actor)).toEqual(['integration:github']);
  });
});
