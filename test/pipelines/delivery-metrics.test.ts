import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../agents/support/eventually.js';
import { approvedFeature, awaitRun, record, recordGreenBuild, startPipeline } from './support/scripted-client.js';

// The monitoring agent's DORA metrics after one failing and one succeeding run, by API calls alone.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp({}, { agents: { pipelineSweepIntervalMs: 200, runner: { retryDelayMs: 50 } } });
});
afterAll(async () => api.close());

const finished = (doc: any) => doc.status !== 'running';

describe('delivery metrics', () => {
  it('reflect a failed staging rollout and a later run that reached production', async () => {
    const failing = await startPipeline(api, { featureId: (await approvedFeature(api)).featureId, commit: 'aaaa1111', environment: 'staging', strategy: 'canary', version: '1.0.0', bakeTimeMs: 600_000 });
    await recordGreenBuild(api, failing);
    await awaitRun(api, failing, (doc) => doc.deployments[0].status === 'in_progress', 'the staging rollout');
    await record(api, failing, 'security-scans', { findings: [{ id: 'CVE-2026-0001', severity: 'critical' }] });
    expect(await awaitRun(api, failing, finished, 'the failing run')).toMatchObject({ status: 'failed', rolledBack: true });

    const good = await startPipeline(api, { featureId: (await approvedFeature(api)).featureId, commit: 'bbbb2222', environment: 'production', strategy: 'rolling', version: '1.1.0' });
    await recordGreenBuild(api, good);
    expect(await awaitRun(api, good, finished, 'the good run')).toMatchObject({ status: 'succeeded' });

    const metrics = await eventually(async () => {
      const response = await api.request('GET', '/api/metrics/delivery');
      const production = response.body.items.find((item: any) => item.environment === 'production');
      return production?.deployments === 1 ? response.body : undefined;
    }, 'the metrics to count the production deployment');
    const byEnvironment = Object.fromEntries(metrics.items.map((item: any) => [item.environment, item]));
    expect(byEnvironment.staging).toMatchObject({
      deployments: 2,
      failures: 1,
      changeFailureRate: 0.5,
      restores: 1,
      failingSince: null,
      deploymentFrequency: { inWindow: 1, total: 1, windowDays: 7 },
    });
    expect(byEnvironment.staging.meanTimeToRestoreSeconds).toBeGreaterThanOrEqual(0);
    expect(byEnvironment.production).toMatchObject({ deployments: 1, failures: 0, changeFailureRate: 0, meanTimeToRestoreSeconds: null, deploymentFrequency: { inWindow: 1 } });

    const scrape = await api.request('GET', '/metrics', { role: null });
    expect(scrape.body).toContain('agent_ledger_delivery_change_failure_rate{environment="staging"} 0.5');
    expect(scrape.body).toContain('agent_ledger_delivery_change_failure_rate{environment="production"} 0');
    expect(scrape.body).toMatch(/agent_ledger_delivery_deployments_per_day\{environment="production"\} 0\.143/);
    expect(scrape.body).toMatch(/agent_ledger_delivery_mean_time_to_restore_seconds\{environment="staging"\} [\d.]+/);
    expect(scrape.body).not.toContain('agent_ledger_delivery_mean_time_to_restore_seconds{environment="production"}');
  });

  it('needs a token like every /api route', async () => {
    expect((await api.request('GET', '/api/metrics/delivery', { role: null })).status).toBe(401);
  });
});
