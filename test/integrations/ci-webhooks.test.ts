import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { GITHUB_SECRET, GITLAB_TOKEN, fixture, githubSignature, headPosition, requestedBuild, sendGithub, sendGitlab } from './support/deliveries.js';

let api: TestApp;
beforeAll(async () => {
  api = await startTestApp({ GITHUB_WEBHOOK_SECRET: GITHUB_SECRET, GITLAB_WEBHOOK_TOKEN: GITLAB_TOKEN });
});
afterAll(async () => api.close());

/** A fresh 40-character commit hash per test, so builds never share one (or a prefix) by accident. */
function newCommit(): string {
  return randomBytes(20).toString('hex');
}

/** The build read model once it has caught up with everything appended so far. */
async function buildDoc(buildId: string) {
  return (await api.request('GET', `/api/builds/${buildId}?consistentWith=${await headPosition(api)}`)).body;
}

async function history(buildId: string): Promise<any[]> {
  return (await api.request('GET', `/api/builds/${buildId}/history`)).body.items;
}

async function deliveries(query = ''): Promise<any[]> {
  const head = await headPosition(api);
  return (await api.request('GET', `/api/integrations/deliveries?consistentWith=${head}${query}`)).body.items;
}

describe('GitHub deliveries (POST /webhooks/github)', () => {
  it('given a requested build, a signed completed workflow_run for its commit records the build result as integration:github', async () => {
    const commit = newCommit();
    const { buildId, correlationId } = await requestedBuild(api, commit);

    const response = await sendGithub(api, 'workflow_run', fixture('github-workflow-run-completed', commit), { deliveryId: 'gh-delivery-1' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'matched', duplicate: false, outcome: 'succeeded', repository: 'octo-org/octo-repo', builds: [{ buildId, result: 'recorded' }] });
    expect(await buildDoc(buildId)).toMatchObject({ status: 'succeeded', durationMs: 247_000 });
    const recorded = (await history(buildId)).find((event) => event.type === 'BuildSucceeded');
    expect(recorded.metadata).toMatchObject({ actor: 'integration:github', actorRole: 'integration', commandType: 'build.recordResult', correlationId });
  });

  it('matches a build that names its commit by a short hash, in any case', async () => {
    const commit = newCommit();
    const { buildId } = await requestedBuild(api, commit.slice(0, 7).toUpperCase());
    const response = await sendGithub(api, 'check_run', fixture('github-check-run-completed-failure', commit), { deliveryId: 'gh-delivery-short' });
    expect(response.body).toMatchObject({ status: 'matched', outcome: 'failed', builds: [{ buildId, result: 'recorded' }] });
    expect(await buildDoc(buildId)).toMatchObject({ status: 'failed', durationMs: 90_000 });
  });

  it('given builds of one commit in two repositories, records the result only on the build of the repository that reported it (and on builds that name none)', async () => {
    const commit = newCommit();
    const own = await requestedBuild(api, commit, 'github.com/octo-org/octo-repo');
    const fork = await requestedBuild(api, commit, 'github.com/someone/octo-repo-fork');
    const unnamed = await requestedBuild(api, commit);

    const response = await sendGithub(api, 'workflow_run', fixture('github-workflow-run-completed', commit), { deliveryId: 'gh-delivery-repositories' });

    expect(response.body.builds.map((build: { buildId: string }) => build.buildId).sort()).toEqual([own.buildId, unnamed.buildId].sort());
    expect((await buildDoc(own.buildId)).status).toBe('succeeded');
    expect((await buildDoc(unnamed.buildId)).status).toBe('succeeded');
    expect((await buildDoc(fork.buildId)).status).toBe('requested');
  });

  it('answers 401 to a forged or unsigned delivery and appends nothing', async () => {
    const commit = newCommit();
    const { buildId } = await requestedBuild(api, commit);
    const payload = fixture('github-workflow-run-completed', commit);
    const before = await headPosition(api);

    const forged = await sendGithub(api, 'workflow_run', payload, { deliveryId: 'gh-forged', signature: githubSignature(JSON.stringify(payload), 'not the secret') });
    const tampered = await sendGithub(api, 'workflow_run', payload, {
      deliveryId: 'gh-tampered',
      signature: githubSignature(JSON.stringify(payload)),
      body: JSON.stringify({ ...payload, action: 'completed ' }),
    });
    const unsigned = await api.request('POST', '/webhooks/github', { role: null, body: payload, headers: { 'x-github-event': 'workflow_run', 'x-github-delivery': 'gh-unsigned' } });

    for (const response of [forged, tampered, unsigned]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await headPosition(api)).toBe(before);
    expect((await buildDoc(buildId)).status).toBe('requested');
  });

  it('changes nothing when the same delivery is replayed, and says it is a duplicate', async () => {
    const commit = newCommit();
    const { buildId } = await requestedBuild(api, commit);
    const payload = fixture('github-workflow-run-completed', commit);
    const first = await sendGithub(api, 'workflow_run', payload, { deliveryId: 'gh-replayed' });
    const after = await headPosition(api);

    const replay = await sendGithub(api, 'workflow_run', payload, { deliveryId: 'gh-replayed' });

    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: first.body.id, duplicate: true, status: 'matched', builds: first.body.builds });
    expect(await headPosition(api)).toBe(after);
    expect((await history(buildId)).map((event) => event.type)).toEqual(['BuildRequested', 'BuildSucceeded']);
  });

  it('records a second run of a commit whose build already has its result, without a second result', async () => {
    const commit = newCommit();
    const { buildId } = await requestedBuild(api, commit);
    await sendGithub(api, 'workflow_run', fixture('github-workflow-run-completed', commit), { deliveryId: 'gh-first-run' });
    const rerun = await sendGithub(api, 'check_run', fixture('github-check-run-completed-failure', commit), { deliveryId: 'gh-second-run' });
    expect(rerun.body).toMatchObject({ status: 'matched', duplicate: false, builds: [{ buildId, result: 'already_recorded' }] });
    expect((await buildDoc(buildId)).status).toBe('succeeded');
  });

  it('accepts a delivery for an unknown commit, records it as unmatched and shows it in the delivery log', async () => {
    const commit = 'feedfacefeedfacefeedfacefeedfacefeedface';
    const before = await api.request('GET', '/api/builds?limit=500');
    const response = await sendGithub(api, 'workflow_run', fixture('github-workflow-run-completed', commit), { deliveryId: 'gh-unknown-commit' });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'unmatched', commit, builds: [] });
    expect((await api.request('GET', '/api/builds?limit=500')).body.items).toEqual(before.body.items);
    const unmatched = await deliveries('&status=unmatched');
    expect(unmatched.find((delivery) => delivery.deliveryId === 'gh-unknown-commit')).toMatchObject({ provider: 'github', event: 'workflow_run', commit, status: 'unmatched' });
  });

  it('records deliveries without a result (a run in progress, a ping) as ignored, touching no build', async () => {
    const commit = newCommit();
    const { buildId } = await requestedBuild(api, commit);
    const progress = await sendGithub(api, 'workflow_run', fixture('github-workflow-run-in-progress', commit), { deliveryId: 'gh-in-progress' });
    const ping = await sendGithub(api, 'ping', { zen: 'Keep it logically awesome.', hook_id: 1, repository: { full_name: 'octo-org/octo-repo' } }, { deliveryId: 'gh-ping' });
    expect(progress.body).toMatchObject({ status: 'ignored', note: 'action in_progress', builds: [] });
    expect(ping.body).toMatchObject({ status: 'ignored', event: 'ping', repository: 'octo-org/octo-repo' });
    expect((await buildDoc(buildId)).status).toBe('requested');
  });

  it('answers 400 to a signed body that is not JSON or not shaped like its event, and 415 to a form-encoded one', async () => {
    const notJson = await sendGithub(api, 'workflow_run', undefined, { deliveryId: 'gh-bad-1', body: '{"action":' });
    const wrongShape = await sendGithub(api, 'workflow_run', { action: 'completed', workflow_run: { id: 'x' } }, { deliveryId: 'gh-bad-2' });
    const noId = await api.request('POST', '/webhooks/github', {
      role: null,
      body: '{}',
      headers: { 'x-github-event': 'ping', 'x-hub-signature-256': githubSignature('{}') },
    });
    const form = await api.request('POST', '/webhooks/github', {
      role: null,
      body: 'payload=%7B%7D',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-github-event': 'ping', 'x-github-delivery': 'gh-form', 'x-hub-signature-256': githubSignature('payload=%7B%7D') },
    });
    expect(notJson.status).toBe(400);
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['body.workflow_run.id', 'body.workflow_run.head_sha']));
    expect(noId.status).toBe(400);
    expect(noId.body.detail).toContain('X-GitHub-Delivery');
    expect(form.status).toBe(415);
  });
});

describe('GitLab deliveries (POST /webhooks/gitlab)', () => {
  it('given a requested build, a pipeline event with the secret token records the result as integration:gitlab', async () => {
    const commit = newCommit();
    const { buildId } = await requestedBuild(api, commit);
    const response = await sendGitlab(api, 'Pipeline Hook', fixture('gitlab-pipeline-success', commit), { idempotencyKey: 'gl-key-1' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ provider: 'gitlab', status: 'matched', repository: 'gitlab-org/gitlab-test', builds: [{ buildId, result: 'recorded' }] });
    expect(await buildDoc(buildId)).toMatchObject({ status: 'succeeded', durationMs: 363_000 });
    expect((await history(buildId)).at(-1).metadata.actor).toBe('integration:gitlab');
  });

  it('records a failed job as a failed build', async () => {
    const commit = newCommit();
    const { buildId } = await requestedBuild(api, commit);
    const response = await sendGitlab(api, 'Job Hook', fixture('gitlab-job-failed', commit), { eventUuid: 'gl-uuid-job' });
    expect(response.body).toMatchObject({ status: 'matched', outcome: 'failed', run: 'test #1977' });
    expect(await buildDoc(buildId)).toMatchObject({ status: 'failed', durationMs: 135_200 });
  });

  it('answers 401 to a wrong or missing token and appends nothing', async () => {
    const before = await headPosition(api);
    const wrong = await sendGitlab(api, 'Pipeline Hook', fixture('gitlab-pipeline-success'), { token: 'guess' });
    const missing = await api.request('POST', '/webhooks/gitlab', { role: null, body: fixture('gitlab-pipeline-success'), headers: { 'x-gitlab-event': 'Pipeline Hook' } });
    expect(wrong.status).toBe(401);
    expect(missing.status).toBe(401);
    expect(await headPosition(api)).toBe(before);
  });

  it('deduplicates a retried event by its Idempotency-Key, and without one by the event id and status', async () => {
    const commit = newCommit();
    await requestedBuild(api, commit);
    const payload = fixture('gitlab-pipeline-success', commit);
    payload.object_attributes.id = 9001;
    await sendGitlab(api, 'Pipeline Hook', payload, { idempotencyKey: 'gl-retried' });
    const after = await headPosition(api);
    const retried = await sendGitlab(api, 'Pipeline Hook', payload, { idempotencyKey: 'gl-retried' });
    expect(retried.body.duplicate).toBe(true);
    expect(await headPosition(api)).toBe(after);

    const bare = fixture('gitlab-pipeline-success', newCommit());
    bare.object_attributes.id = 9002;
    const first = await sendGitlab(api, 'Pipeline Hook', bare);
    const again = await sendGitlab(api, 'Pipeline Hook', bare);
    expect(first.body).toMatchObject({ deliveryId: 'pipeline:9002:success', duplicate: false, status: 'unmatched' });
    expect(again.body).toMatchObject({ deliveryId: 'pipeline:9002:success', duplicate: true });
  });
});

describe('the OpenAPI document', () => {
  it('documents both webhook endpoints, authenticated by signature rather than a bearer token', async () => {
    const doc = (await api.request('GET', '/openapi.json')).body;
    for (const vendor of ['github', 'gitlab']) {
      const operation = doc.paths[`/webhooks/${vendor}`].post;
      expect(operation.security).toEqual([]);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '401']));
    }
    expect(doc.paths['/api/integrations/deliveries'].get).toBeDefined();
  });
});

describe('an integration without its secret', () => {
  it('answers 404 naming the variable that turns it on', async () => {
    const bare = await startTestApp();
    try {
      const github = await bare.request('POST', '/webhooks/github', { role: null, body: {}, headers: { 'x-github-event': 'ping' } });
      const gitlab = await bare.request('POST', '/webhooks/gitlab', { role: null, body: {}, headers: { 'x-gitlab-event': 'Pipeline Hook' } });
      expect(github.status).toBe(404);
      expect(github.body.detail).toContain('GITHUB_WEBHOOK_SECRET');
      expect(gitlab.status).toBe(404);
      expect(gitlab.body.detail).toContain('GITLAB_WEBHOOK_TOKEN');
    } finally {
      await bare.close();
    }
  });
});
