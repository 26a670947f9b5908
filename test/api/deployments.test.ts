import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Deployments over HTTP: gates (422 listing each), one in progress per environment (409),
// strategies' traffic steps, and the environments read model following success and rollback.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp();
});
afterAll(async () => api.close());

async function feature(): Promise<string> {
  const requirement = await api.request('POST', '/api/requirements', {
    body: { title: 'Payments', description: '', priority: 'critical', acceptanceCriteria: ['pay'] },
  });
  await api.request('POST', `/api/requirements/${requirement.body.id}/approve`);
  const created = await api.request('POST', '/api/features', {
    body: { requirementId: requirement.body.id, name: 'Checkout', complexityPoints: 8, developer: 'ivy' },
  });
  return created.body.id;
}

async function build(options: { outcome?: 'succeeded' | 'failed'; failed?: number; coverage?: number; severity?: string } = {}): Promise<string> {
  const requested = await api.request('POST', '/api/builds', { body: { featureId: await feature(), commit: 'a1b2c3d4e5' } });
  const id = requested.body.id;
  await api.request('POST', `/api/builds/${id}/result`, { body: { outcome: options.outcome ?? 'succeeded', durationMs: 60_000 } });
  await api.request('POST', `/api/builds/${id}/test-runs`, { body: { passed: 100, failed: options.failed ?? 0, coverage: options.coverage ?? 90 } });
  await api.request('POST', `/api/builds/${id}/security-scans`, { body: { findings: options.severity ? [{ id: 'F-1', severity: options.severity }] : [] } });
  return id;
}

async function deployToCompletion(buildId: string, environment: string, version: string) {
  const started = await api.request('POST', '/api/deployments', { body: { buildId, environment, strategy: 'blue_green', version } });
  expect(started.status).toBe(201);
  let last = started;
  for (let step = 0; step < 3; step++) last = await api.request('POST', `/api/deployments/${started.body.id}/advance`);
  expect(last.body.events).toEqual(['TrafficShifted', 'DeploymentSucceeded']);
  return { id: started.body.id as string, position: last.body.position as string };
}

async function environment(name: string, position: string) {
  const list = await api.request('GET', `/api/environments?consistentWith=${position}`);
  return list.body.items.find((env: any) => env.id === name);
}

describe('deployment gates', () => {
  it('lists every unmet gate in one 422', async () => {
    const buildId = await build({ outcome: 'failed', failed: 2, coverage: 50, severity: 'critical' });
    const response = await api.request('POST', '/api/deployments', { body: { buildId, environment: 'production', strategy: 'canary', version: '1.0.0' } });
    expect(response.status).toBe(422);
    expect(response.body.reasons.length).toBeGreaterThanOrEqual(5);
  });

  it('refuses production before a succeeded staging deployment of the same build', async () => {
    const buildId = await build();
    const response = await api.request('POST', '/api/deployments', { body: { buildId, environment: 'production', strategy: 'rolling', version: '1.0.0' } });
    expect(response.status).toBe(422);
    expect(response.body.reasons.join(' ')).toMatch(/staging/);
  });

  it('refuses a version that is not semver (400) and an unknown strategy (400)', async () => {
    const buildId = await build();
    expect((await api.request('POST', '/api/deployments', { body: { buildId, environment: 'staging', strategy: 'rolling', version: 'v1' } })).status).toBe(400);
    expect((await api.request('POST', '/api/deployments', { body: { buildId, environment: 'staging', strategy: 'big_bang', version: '1.0.0' } })).status).toBe(400);
  });
});

describe('deployment lifecycle', () => {
  it('canary shifts 5 → 25 → 50 → 100 and then succeeds; a second start in the environment meanwhile is 409', async () => {
    const buildId = await build();
    const started = await api.request('POST', '/api/deployments', { body: { buildId, environment: 'staging', strategy: 'canary', version: '2.0.0' } });
    expect(started.status).toBe(201);
    const concurrent = await api.request('POST', '/api/deployments', { body: { buildId, environment: 'staging', strategy: 'canary', version: '2.0.1' } });
    expect(concurrent.status).toBe(409);

    const percents: number[] = [];
    let last = started;
    for (let step = 0; step < 4; step++) {
      last = await api.request('POST', `/api/deployments/${started.body.id}/advance`);
      const doc = await api.request('GET', `/api/deployments/${started.body.id}?consistentWith=${last.body.position}`);
      percents.push(doc.body.percent);
    }
    expect(percents).toEqual([5, 25, 50, 100]);
    expect(last.body.events).toEqual(['TrafficShifted', 'DeploymentSucceeded']);
    expect((await api.request('POST', `/api/deployments/${started.body.id}/advance`)).status).toBe(422);
    expect(await environment('staging', last.body.position)).toMatchObject({ currentVersion: '2.0.0', inProgressDeploymentId: null });
  });

  it('then production; rolling back a succeeded deployment returns the environment to the previous version', async () => {
    const first = await build();
    await deployToCompletion(first, 'staging', '3.0.0');
    const v3 = await deployToCompletion(first, 'production', '3.0.0');
    const second = await build();
    await deployToCompletion(second, 'staging', '3.1.0');
    const v31 = await deployToCompletion(second, 'production', '3.1.0');
    expect(await environment('production', v31.position)).toMatchObject({ currentVersion: '3.1.0', currentDeploymentId: v31.id });

    const rollback = await api.request('POST', `/api/deployments/${v31.id}/rollback`, { body: { reason: 'error rate' } });
    expect(rollback.status).toBe(200);
    expect(await environment('production', rollback.body.position)).toMatchObject({ currentVersion: '3.0.0', currentDeploymentId: v3.id });
  });

  it('fail appends DeploymentFailed then DeploymentRolledBack and frees the environment', async () => {
    const buildId = await build();
    const started = await api.request('POST', '/api/deployments', { body: { buildId, environment: 'staging', strategy: 'rolling', version: '4.0.0' } });
    await api.request('POST', `/api/deployments/${started.body.id}/advance`);
    const failed = await api.request('POST', `/api/deployments/${started.body.id}/fail`, { body: { reason: 'health checks red' } });
    expect(failed.body.events).toEqual(['DeploymentFailed', 'DeploymentRolledBack']);
    const doc = await api.request('GET', `/api/deployments/${started.body.id}?consistentWith=${failed.body.position}`);
    expect(doc.body.status).toBe('rolled_back');
    expect((await environment('staging', failed.body.position)).inProgressDeploymentId).toBeNull();
  });

  it('undoing a start rolls the deployment back', async () => {
    const buildId = await build();
    const started = await api.request('POST', '/api/deployments', { body: { buildId, environment: 'staging', strategy: 'blue_green', version: '5.0.0' } });
    const undo = await api.request('POST', `/api/commands/${started.body.commandId}/undo`);
    expect(undo.status).toBe(200);
    expect(undo.body.events).toEqual(['DeploymentRolledBack']);
  });
});
