import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_SECRET } from '../support/test-app.js';
import { issueToken } from '../../src/auth/tokens.js';
import { approvedFeature, awaitRun, record, recordGreenBuild, startPipeline } from '../pipelines/support/scripted-client.js';
import { eventually } from '../agents/support/eventually.js';

// SPEC §6: the live audit feed (server-sent events) and the causation trace of a command.
let api: TestApp;
beforeAll(async () => {
  api = await startTestApp({}, { agents: { pipelineSweepIntervalMs: 200, runner: { retryDelayMs: 50 } } });
});
afterAll(async () => api.close());

interface SseEvent {
  id: string;
  event: string;
  data: any;
}

/** Opens the stream and collects events until `count` arrived (or the time is up). */
async function readStream(path: string, count: number, headers: Record<string, string> = {}): Promise<{ status: number; events: SseEvent[] }> {
  const token = await issueToken(TEST_SECRET, 'watcher', 'viewer');
  const controller = new AbortController();
  const response = await api.fetch(new Request(`http://test${path}`, { headers: { authorization: `Bearer ${token}`, ...headers }, signal: controller.signal }));
  if (response.status !== 200) return { status: response.status, events: [] };
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  const deadline = Date.now() + 8000;
  while (events.length < count && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), 500))]);
    if (chunk === null) continue;
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(block.split('\n').filter((line) => !line.startsWith(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
      if (fields.event) events.push({ id: fields.id!, event: fields.event, data: JSON.parse(fields.data!) });
    }
  }
  controller.abort();
  await reader.cancel().catch(() => undefined);
  return { status: 200, events };
}

async function captureRequirement(title: string) {
  const captured = await api.request('POST', '/api/requirements', { sub: 'streamer', body: { title, description: '', priority: 'high', acceptanceCriteria: ['it streams'] } });
  expect(captured.status).toBe(201);
  return captured.body as { id: string; commandId: string; position: string };
}

describe('GET /api/audit/stream', () => {
  it('given a client watching one aggregate, when commands are made, then only that aggregate\'s entries arrive, oldest first, with their positions as ids', async () => {
    const watched = await captureRequirement('Watched');
    const other = await captureRequirement('Other');
    const reading = readStream(`/api/audit/stream?aggregateId=${watched.id}&after=0`, 2);
    await api.request('POST', `/api/requirements/${other.id}/approve`);
    const approve = await api.request('POST', `/api/requirements/${watched.id}/approve`);
    const { events } = await reading;
    expect(events.map((event) => [event.event, event.data.type])).toEqual([
      ['audit', 'RequirementCaptured'],
      ['audit', 'RequirementApproved'],
    ]);
    expect(events[1]!.id).toBe(approve.body.position);
    expect(events[1]!.data).toMatchObject({ aggregateId: watched.id, commandId: approve.body.commandId, actor: 'engineer-user' });
  });

  it('resumes after Last-Event-ID: an entry seen before is not sent again', async () => {
    const first = await captureRequirement('Resume one');
    const second = await captureRequirement('Resume two');
    const { events } = await readStream('/api/audit/stream?actor=streamer', 1, { 'last-event-id': first.position });
    expect(events[0]!.data.aggregateId).toBe(second.id);
  });

  it('without a position it sends only what happens from now on', async () => {
    await captureRequirement('Before the stream');
    const reading = readStream('/api/audit/stream?actor=streamer', 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await captureRequirement('After the stream');
    const { events } = await reading;
    expect(events.map((event) => event.data.aggregateId)).toEqual([after.id]);
  });

  it('a bad position is a 400 problem, and the stream needs a token', async () => {
    expect((await readStream('/api/audit/stream', 0, { 'last-event-id': 'yesterday' })).status).toBe(400);
    expect((await api.request('GET', '/api/audit/stream', { role: null })).status).toBe(401);
  });

  it('is documented in the OpenAPI', async () => {
    const spec = (await api.request('GET', '/openapi.json')).body;
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/audit/stream', '/api/commands/{commandId}/trace']));
  });
});

describe('GET /api/commands/{commandId}/trace', () => {
  it('given a run whose rollout fails, then the start command leads to the deployment, its rollback and the incident agent\'s command', async () => {
    const { featureId } = await approvedFeature(api);
    const started = await api.request('POST', '/api/pipelines', { body: { featureId, commit: 'f00dfeed', environment: 'production', strategy: 'canary', version: '5.0.0', bakeTimeMs: 600_000 } });
    const run = { id: started.body.id as string, correlationId: started.body.correlationId as string };
    await recordGreenBuild(api, run);
    await awaitRun(api, run, (doc) => doc.deployments[0].status === 'in_progress', 'the staging rollout');
    await record(api, run, 'test-runs', { passed: 1, failed: 2, coverage: 90 });
    await awaitRun(api, run, (doc) => doc.status !== 'running', 'the run to fail');

    const trace = await eventually(async () => {
      const response = await api.request('GET', `/api/commands/${started.body.commandId}/trace`);
      return JSON.stringify(response.body).includes('IncidentOpened') ? response.body : undefined;
    }, 'the incident in the trace');
    expect(trace.correlationId).toBe(run.correlationId);
    expect(trace.root).toMatchObject({ commandId: started.body.commandId, aggregateType: 'pipeline', events: [expect.objectContaining({ type: 'PipelineStarted' })] });

    const all = [trace.root, ...trace.joined];
    const commands: any[] = [];
    const walk = (node: any, depth: number) => {
      commands.push({ ...node, depth });
      node.events.forEach((event: any) => event.caused.forEach((child: any) => walk(child, depth + 1)));
    };
    all.forEach((node) => walk(node, 0));
    const incident = commands.find((node) => node.aggregateType === 'incident');
    expect(incident).toMatchObject({ actor: 'agent:incident', events: [expect.objectContaining({ type: 'IncidentOpened' })] });
    const deployment = commands.find((node) => node.aggregateType === 'deployment' && node.events.some((event: any) => event.type === 'DeploymentFailed'));
    // The incident hangs under the deployment's failure: caused by its DeploymentFailed or DeploymentRolledBack.
    const failureEventIds = deployment.events.map((event: any) => event.eventId);
    const parent = commands.find((node) => node.events.some((event: any) => event.caused.some((child: any) => child.commandId === incident.commandId)));
    expect(parent.events.filter((event: any) => event.caused.some((child: any) => child.commandId === incident.commandId)).map((event: any) => event.eventId)).toEqual([
      expect.toSatisfy((id: string) => failureEventIds.includes(id)),
    ]);
    expect(incident.depth).toBeGreaterThan(deployment.depth);
  });

  it('an unknown command is a 404 problem', async () => {
    expect((await api.request('GET', '/api/commands/01ARZ3NDEKTSV4RRFFQ69G5FAV/trace')).status).toBe(404);
  });
});
