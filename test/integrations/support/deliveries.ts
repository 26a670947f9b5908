import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { TestApp, TestResponse } from '../../support/test-app.js';
import { approvedFeature } from '../../pipelines/support/scripted-client.js';

// A CI system as seen by agent-ledger: vendor-shaped payloads from the fixtures, signed the way
// each vendor signs them.

export const GITHUB_SECRET = 'It is a secret to everybody';
export const GITLAB_TOKEN = 'gitlab-secret-token';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'integrations');

/** A fixture payload; `commit` replaces every commit hash in it. */
export function fixture(name: string, commit?: string): any {
  const text = readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
  const payload = JSON.parse(text);
  if (commit === undefined) return payload;
  return JSON.parse(text.replace(/"[0-9a-f]{40}"/g, JSON.stringify(commit)));
}

export function githubSignature(body: string, secret = GITHUB_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function sendGithub(
  api: TestApp,
  event: string,
  payload: unknown,
  options: { deliveryId: string; signature?: string; body?: string },
): Promise<TestResponse> {
  const body = options.body ?? JSON.stringify(payload);
  return api.request('POST', '/webhooks/github', {
    role: null,
    body,
    headers: {
      'x-github-event': event,
      'x-github-delivery': options.deliveryId,
      'x-hub-signature-256': options.signature ?? githubSignature(body),
      'user-agent': 'GitHub-Hookshot/044aadd',
    },
  });
}

export async function sendGitlab(
  api: TestApp,
  event: string,
  payload: unknown,
  options: { token?: string; eventUuid?: string; idempotencyKey?: string } = {},
): Promise<TestResponse> {
  const headers: Record<string, string> = { 'x-gitlab-event': event, 'x-gitlab-token': options.token ?? GITLAB_TOKEN };
  if (options.eventUuid) headers['x-gitlab-event-uuid'] = options.eventUuid;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  return api.request('POST', '/webhooks/gitlab', { role: null, body: JSON.stringify(payload), headers });
}

/** A build of a fresh feature at `commit`, visible in the builds read model. */
export async function requestedBuild(api: TestApp, commit: string, repository?: string): Promise<{ buildId: string; correlationId: string }> {
  const { featureId } = await approvedFeature(api);
  const requested = await api.request('POST', '/api/builds', { body: { featureId, commit, ...(repository ? { repository } : {}) }, headers: { 'x-correlation-id': `release-${commit.slice(0, 8)}` } });
  expect(requested.status, JSON.stringify(requested.body)).toBe(201);
  const visible = await api.request('GET', `/api/builds/${requested.body.id}?consistentWith=${requested.body.position}`);
  expect(visible.status).toBe(200);
  return { buildId: requested.body.id, correlationId: `release-${commit.slice(0, 8)}` };
}

export async function headPosition(api: TestApp): Promise<bigint | null> {
  return api.backends.events.headPosition();
}
