import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/tokens.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { eventually } from '../agents/support/eventually.js';

// The real process of the embedded default (API, projections and agents together), killed with
// SIGKILL in the middle of a rollout: after a restart on the same files the run finishes, and
// no step was taken twice.
const SECRET = 'pipeline-kill-secret-pipeline-kill-secret-0123';
const dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-pipeline-kill-'));
const env = { DATA_DIR: dataDir, AUTH_SECRET: SECRET };
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

function client(url: string, token: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as any };
  };
}

describe('killing the process mid-pipeline', () => {
  it('finishes the run after a restart, with every traffic step and pipeline step once', async () => {
    const token = await issueToken(SECRET, 'release-bot', 'engineer');
    server = await startServerProcess(env);
    let call = client(server.url, token);

    const requirement = await call('POST', '/api/requirements', { title: 'Kill test', description: '', priority: 'low', acceptanceCriteria: ['survives'] });
    await call('POST', `/api/requirements/${requirement.body.id}/approve`);
    const feature = await call('POST', '/api/features', { requirementId: requirement.body.id, name: 'Sturdy', complexityPoints: 1, developer: 'max' });
    const run = await call('POST', '/api/pipelines', { featureId: feature.body.id, commit: '0123abcd', environment: 'production', strategy: 'canary', version: '9.0.0', bakeTimeMs: 250 });
    expect(run.status).toBe(201);
    const { id, correlationId } = run.body;
    const asExternalAgent = { 'x-correlation-id': correlationId };
    await eventually(async () => ((await call('GET', `/api/builds/${id}`)).status === 200 ? true : undefined), 'the build request');
    expect((await call('POST', `/api/builds/${id}/result`, { outcome: 'succeeded', durationMs: 5000 }, asExternalAgent)).status).toBe(200);
    expect((await call('POST', `/api/builds/${id}/test-runs`, { passed: 10, failed: 0, coverage: 85 }, asExternalAgent)).status).toBe(200);
    expect((await call('POST', `/api/builds/${id}/security-scans`, { findings: [] }, asExternalAgent)).status).toBe(200);
    await eventually(async () => {
      const doc = await call('GET', `/api/pipelines/${id}`);
      return doc.body.deployments?.[0]?.percent >= 25 ? true : undefined;
    }, 'the staging rollout to be under way');

    await server.kill('SIGKILL');
    server = await startServerProcess(env);
    call = client(server.url, token);

    const done = await eventually(async () => {
      const doc = await call('GET', `/api/pipelines/${id}`);
      return doc.body.status && doc.body.status !== 'running' ? doc.body : undefined;
    }, 'the run to finish after the restart', 30_000);
    expect(done.status).toBe('succeeded');

    for (const deployment of done.deployments) {
      const history = await call('GET', `/api/deployments/${deployment.deploymentId}/history`);
      expect(history.body.items.map((e: any) => (e.type === 'TrafficShifted' ? e.data.percent : e.type))).toEqual(['DeploymentStarted', 5, 25, 50, 100, 'DeploymentSucceeded']);
    }
    const trail = await eventually(async () => {
      const audit = await call('GET', `/api/audit?aggregateType=pipeline&aggregateId=${id}&limit=100`);
      return audit.body.items.some((e: any) => e.type === 'PipelineSucceeded') ? audit.body.items : undefined;
    }, 'the pipeline steps in the audit timeline');
    const types = trail.map((e: any) => e.type).reverse();
    expect(types).toEqual([
      'PipelineStarted',
      'PipelineCheckRecorded', 'PipelineCheckRecorded', 'PipelineCheckRecorded',
      'PipelineDeploymentStarted', 'PipelineDeploymentSucceeded',
      'PipelineDeploymentStarted', 'PipelineDeploymentSucceeded',
      'PipelineSucceeded',
    ]);
  }, 90_000);
});
