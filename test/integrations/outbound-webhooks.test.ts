import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { eventually } from '../agents/support/eventually.js';
import { requestedBuild } from './support/deliveries.js';
import { startReceiver, type ReceivedRequest, type Receiver } from './support/receiver.js';
import { backoffMs } from '../../src/integrations/outbound/webhook-sender.js';
import { signWebhook } from '../../src/integrations/outbound/signing.js';

let api: TestApp;
let up: Receiver;
let flaky: Receiver;
beforeAll(async () => {
  api = await startTestApp({}, { agents: { runner: { retryDelayMs: 50 }, webhooks: { pollMs: 50, baseDelayMs: 150, maxAttempts: 4, timeoutMs: 1000 } } });
  up = await startReceiver();
  flaky = await startReceiver({ downFor: 2 });
});
afterAll(async () => {
  await api.close();
  await up.close();
  await flaky.close();
});

/** What a receiver does with the Standard Webhooks headers: recompute and compare in constant time. */
function verify(request: ReceivedRequest, secret: string): boolean {
  const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature } = request.headers;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = Buffer.from(`v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest('base64')}`);
  return signature!.split(' ').some((candidate) => candidate.length === expected.length && timingSafeEqual(Buffer.from(candidate), expected));
}

async function subscribe(url: string, eventTypes: string[], secret?: string) {
  const response = await api.request('POST', '/api/webhooks', { role: 'admin', body: { url, eventTypes, ...(secret ? { secret } : {}) } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; secret: string };
}

async function deliveries(id: string): Promise<any[]> {
  return (await api.request('GET', `/api/webhooks/${id}/deliveries`, { role: 'admin' })).body.items;
}

/** A staging deployment that fails: the incident agent opens an incident for it. */
async function failedDeployment(): Promise<string> {
  const { buildId } = await requestedBuild(api, 'deadbeef01');
  await api.request('POST', `/api/builds/${buildId}/result`, { body: { outcome: 'succeeded', durationMs: 10 } });
  await api.request('POST', `/api/builds/${buildId}/test-runs`, { body: { passed: 10, failed: 0, coverage: 90 } });
  await api.request('POST', `/api/builds/${buildId}/security-scans`, { body: { findings: [] } });
  const started = await api.request('POST', '/api/deployments', { body: { buildId, environment: 'staging', strategy: 'canary', version: '1.0.0' } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  expect((await api.request('POST', `/api/deployments/${started.body.id}/fail`, { body: { reason: 'error rate 12%' } })).status).toBe(200);
  return started.body.id;
}

describe('outbound webhooks', () => {
  it('sends a correctly signed IncidentOpened after a failed deployment, also to a receiver that was down for the first attempts', async () => {
    const steady = await subscribe(up.url, ['IncidentOpened', 'DeploymentFailed']);
    const recovering = await subscribe(flaky.url, ['IncidentOpened']);
    const nowhere = await subscribe('http://127.0.0.1:9/never-up', ['IncidentOpened']);

    const deploymentId = await failedDeployment();

    const incident = await eventually(async () => up.received.find((r) => JSON.parse(r.body).type === 'IncidentOpened'), 'the incident at the receiver that is up');
    expect(verify(incident, steady.secret)).toBe(true);
    expect(verify(incident, recovering.secret)).toBe(false);
    const payload = JSON.parse(incident.body);
    expect(payload).toMatchObject({ type: 'IncidentOpened', data: { aggregateType: 'incident', data: { deploymentId, environment: 'staging', causedBy: 'DeploymentFailed' }, metadata: { actor: 'agent:incident' } } });
    expect(incident.headers['webhook-id']).toBe(`msg_${payload.data.eventId}`);
    expect(Math.abs(Number(incident.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(up.received.map((r) => JSON.parse(r.body).type).sort()).toEqual(['DeploymentFailed', 'IncidentOpened']);

    const late = await eventually(async () => flaky.received[0], 'the incident at the receiver that came back', 15_000);
    expect(flaky.refused).toBe(2);
    expect(verify(late, recovering.secret)).toBe(true);
    expect(late.headers['webhook-id']).toBe(incident.headers['webhook-id']);
    // The receiver that was up was not kept waiting behind the one that was down.
    expect(incident.at).toBeLessThan(late.at);

    const attempts = (await deliveries(recovering.id))[0];
    expect(attempts).toMatchObject({ eventType: 'IncidentOpened', webhookId: incident.headers['webhook-id'], status: 'delivered' });
    expect(attempts.attempts.map((a: any) => [a.attempt, a.status, a.error === null])).toEqual([[1, null, false], [2, null, false], [3, 204, true]]);
    expect(Date.parse(attempts.attempts[2].at) - Date.parse(attempts.attempts[1].at)).toBeGreaterThanOrEqual(backoffMs(2, 150, 60_000));
    expect(attempts.secret).toBeUndefined();

    const givenUp = await eventually(async () => {
      const [delivery] = await deliveries(nowhere.id);
      return delivery?.status === 'failed' ? delivery : undefined;
    }, 'the delivery to a receiver that never comes up to be given up', 15_000);
    expect(givenUp.attempts).toHaveLength(4);
  });

  it('signs as the Standard Webhooks test vector does', () => {
    // The example of the Standard Webhooks specification.
    const signature = signWebhook('msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('stops queueing for a subscription once it is unsubscribed', async () => {
    const receiver = await startReceiver();
    try {
      const subscription = await subscribe(receiver.url, ['DeploymentFailed'], 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
      const removed = await api.request('DELETE', `/api/webhooks/${subscription.id}`, { role: 'admin' });
      expect(removed.status).toBe(200);
      expect(removed.body.status).toBe('unsubscribed');
      await failedDeployment();
      // The steady receiver of the first test hears of this failure: the agent has passed it.
      await eventually(async () => (up.received.filter((r) => JSON.parse(r.body).type === 'DeploymentFailed').length >= 2 ? true : undefined), 'the agent to pass the new failure');
      expect(receiver.received).toEqual([]);
      expect(await deliveries(subscription.id)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('refuses to undo a subscription command (422): unsubscribing is how it ends', async () => {
    const subscription = await api.request('POST', '/api/webhooks', { role: 'admin', body: { url: up.url, eventTypes: ['PipelineSucceeded'] } });
    await eventually(async () => ((await api.request('GET', `/api/commands/${subscription.body.commandId}`)).status === 200 ? true : undefined), 'the command log');
    const undo = await api.request('POST', `/api/commands/${subscription.body.commandId}/undo`, { role: 'admin' });
    expect(undo.status).toBe(422);
    expect(undo.body.detail).toContain('cannot be undone');
  });

  it('is for admins only, never shows a secret after creation, and validates subscriptions', async () => {
    expect((await api.request('POST', '/api/webhooks', { role: 'engineer', body: { url: up.url, eventTypes: ['IncidentOpened'] } })).status).toBe(403);
    expect((await api.request('GET', '/api/webhooks', { role: 'viewer' })).status).toBe(403);
    const invalid = await api.request('POST', '/api/webhooks', { role: 'admin', body: { url: 'ftp://example.com', eventTypes: [], secret: 'hunter2' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((e: any) => e.path).sort()).toEqual(['body.eventTypes', 'body.secret', 'body.url']);
    const list = await api.request('GET', '/api/webhooks', { role: 'admin' });
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    const one = await api.request('GET', `/api/webhooks/${list.body.items[0].id}`, { role: 'admin' });
    expect(one.body).toEqual(list.body.items[0]);
  });
});
