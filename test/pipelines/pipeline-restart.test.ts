import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { StoredEvent } from '../../src/eventstore/port.js';
import { eventually } from '../agents/support/eventually.js';
import { approvedFeature, awaitRun, recordGreenBuild, startPipeline } from './support/scripted-client.js';

// A run survives its process: everything it needs is in the log, and every step can be repeated.
const agents = { pipelineSweepIntervalMs: 100, runner: { retryDelayMs: 30 } };
let dataDir: string;
let api: TestApp | undefined;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-restart-'));
});
afterEach(async () => {
  await api?.close();
  api = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

const start = () => startTestApp({}, { dataDir, agents });

async function log(app: TestApp): Promise<StoredEvent[]> {
  return app.backends.events.readAll({ maxCount: 100_000 });
}

function percents(events: StoredEvent[], deploymentId: string): number[] {
  return events.filter((e) => e.streamName === `deployment-${deploymentId}` && e.type === 'TrafficShifted').map((e) => (e.data as { percent: number }).percent);
}

describe('a pipeline run across a restart', () => {
  it('stopped mid-rollout, finishes in a new process on the same files with every step taken once', async () => {
    api = await start();
    const { featureId } = await approvedFeature(api);
    const run = await startPipeline(api, { featureId, commit: 'abcd1234', environment: 'production', strategy: 'canary', version: '5.0.0', bakeTimeMs: 150 });
    await recordGreenBuild(api, run);
    await awaitRun(api, run, (doc) => doc.deployments[0].percent >= 5, 'the staging rollout to move traffic');
    await api.close();

    api = await start();
    const done = await awaitRun(api, run, (doc) => doc.status !== 'running', 'the run to finish after the restart', 20_000);
    expect(done.status).toBe('succeeded');

    const events = await log(api);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const [staging, production] = done.deployments.map((d: any) => d.deploymentId);
    expect(percents(events, staging)).toEqual([5, 25, 50, 100]);
    expect(percents(events, production)).toEqual([5, 25, 50, 100]);
    const pipelineTypes = events.filter((e) => e.streamName === `pipeline-${run.id}`).map((e) => e.type);
    expect(pipelineTypes).toEqual([
      'PipelineStarted',
      'PipelineCheckRecorded', 'PipelineCheckRecorded', 'PipelineCheckRecorded',
      'PipelineDeploymentStarted', 'PipelineDeploymentSucceeded',
      'PipelineDeploymentStarted', 'PipelineDeploymentSucceeded',
      'PipelineSucceeded',
    ]);
    expect(events.filter((e) => e.type === 'BuildRequested')).toHaveLength(1);
  });

  it('reacting to the whole log again (every agent checkpoint lost) appends nothing', async () => {
    api = await start();
    const { featureId } = await approvedFeature(api);
    const run = await startPipeline(api, { featureId, commit: 'bcde2345', environment: 'staging', strategy: 'blue_green', version: '5.1.0' });
    await recordGreenBuild(api, run);
    const done = await awaitRun(api, run, (doc) => doc.status === 'succeeded', 'the run to succeed');
    // A rollback afterwards gives the incident agent work too.
    const rollback = await api.request('POST', `/api/deployments/${done.deployments[0].deploymentId}/rollback`, { body: { reason: 'bad release' } });
    expect(rollback.status).toBe(200);
    await eventually(async () => ((await log(api!)).some((e) => e.type === 'IncidentOpened') ? true : undefined), 'the incident');
    await agentsCaughtUp(api);
    const before = await log(api);
    expect(before.filter((e) => e.type === 'TestCasesGenerated')).toHaveLength(1);
    await api.close();

    // As if every agent had crashed before saving any checkpoint.
    api = await startTestApp({}, { dataDir });
    const checkpoints = api.backends.readStore.collection('_agent_checkpoints');
    for (const doc of await checkpoints.find({})) await checkpoints.delete(doc.id);
    await api.close();

    api = await start();
    await agentsCaughtUp(api);
    expect((await log(api)).length).toBe(before.length);
  });
});

/** Every agent has reacted up to the head of the log. */
async function agentsCaughtUp(app: TestApp): Promise<void> {
  await eventually(async () => {
    const head = (await app.backends.events.headPosition())!.toString();
    const status = app.agents!.status();
    return status.every((agent) => agent.checkpoint === head) ? true : undefined;
  }, 'the agents to reach the head of the log');
}
