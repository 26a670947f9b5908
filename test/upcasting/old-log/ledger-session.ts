import type { TestApp } from '../../support/test-app.js';

/**
 * A realistic session through the HTTP API: requirements captured, revised, approved, rejected
 * and withdrawn; features created, updated, reverted, deleted and restored; builds with results,
 * test runs and scans; deployments that succeed, fail (the incident agent opens an incident, which
 * is resolved) and roll back; and undo of several kinds of command.
 */
export async function driveSession(api: TestApp): Promise<void> {
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await api.request(method, path, { body });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { id: string; commandId: string };
  };
  const undo = (commandId: string) => send('POST', `/api/commands/${commandId}/undo`);

  const checkout = await send('POST', '/api/requirements', {
    title: 'Checkout with saved cards',
    description: 'Returning customers pay with a card they saved before.',
    priority: 'high',
    acceptanceCriteria: ['a saved card can be chosen', 'the CVC is asked again', 'a removed card is not offered'],
  });
  await send('POST', `/api/requirements/${checkout.id}/revise`, { priority: 'critical' });
  await send('POST', `/api/requirements/${checkout.id}/approve`, {});

  const rejected = await send('POST', '/api/requirements', { title: 'Pay by fax', priority: 'low', acceptanceCriteria: ['a fax is accepted'] });
  await send('POST', `/api/requirements/${rejected.id}/reject`, { reason: 'nobody has a fax machine' });

  const withdrawn = await send('POST', '/api/requirements', { title: 'Duplicate of checkout', priority: 'medium', acceptanceCriteria: ['same as checkout'] });
  await undo(withdrawn.commandId);

  const cards = await send('POST', '/api/features', { requirementId: checkout.id, name: 'Saved cards', complexityPoints: 5, developer: 'ann' });
  await send('PATCH', `/api/features/${cards.id}`, { complexityPoints: 8 });
  const renamed = await send('PATCH', `/api/features/${cards.id}`, { name: 'Saved cards at checkout', developer: 'ben' });
  await undo(renamed.commandId);
  await send('POST', `/api/features/${cards.id}/revert`, { toRevision: 0 });
  const deleted = await send('DELETE', `/api/features/${cards.id}`);
  await undo(deleted.commandId);

  const cvc = await send('POST', '/api/features', { requirementId: checkout.id, name: 'CVC prompt', complexityPoints: 2, developer: 'cyd' });

  const good = await send('POST', '/api/builds', { featureId: cards.id, commit: 'a1b2c3d4e5f6' });
  await send('POST', `/api/builds/${good.id}/result`, { outcome: 'succeeded', durationMs: 84_000 });
  await send('POST', `/api/builds/${good.id}/test-runs`, { passed: 118, failed: 2, coverage: 81.5 });
  await send('POST', `/api/builds/${good.id}/test-runs`, { passed: 120, failed: 0, coverage: 86.25 });
  await send('POST', `/api/builds/${good.id}/security-scans`, { findings: [{ id: 'CVE-2026-0101', severity: 'high' }] });
  await send('POST', `/api/builds/${good.id}/security-scans`, { findings: [{ id: 'CVE-2026-0202', severity: 'low' }] });

  const broken = await send('POST', '/api/builds', { featureId: cards.id, commit: '0badc0ffee' });
  await send('POST', `/api/builds/${broken.id}/result`, { outcome: 'failed', durationMs: 12_500 });

  const thin = await send('POST', '/api/builds', { featureId: cvc.id, commit: 'feedface1234567' });
  await send('POST', `/api/builds/${thin.id}/result`, { outcome: 'succeeded', durationMs: 40_000 });
  await send('POST', `/api/builds/${thin.id}/test-runs`, { passed: 30, failed: 0, coverage: 52 });
  await send('POST', `/api/builds/${thin.id}/security-scans`, { findings: [] });

  const staging = await send('POST', '/api/deployments', { buildId: good.id, environment: 'staging', strategy: 'blue_green', version: '1.4.0' });
  for (let step = 0; step < 3; step++) await send('POST', `/api/deployments/${staging.id}/advance`);

  const canary = await send('POST', '/api/deployments', { buildId: good.id, environment: 'production', strategy: 'canary', version: '1.4.0' });
  await send('POST', `/api/deployments/${canary.id}/advance`);
  await send('POST', `/api/deployments/${canary.id}/fail`, { reason: 'error rate above 2% at 5% traffic' });
  const incident = await openedIncident(api, canary.id);
  await send('POST', `/api/incidents/${incident}/resolve`, { resolution: 'connection pool raised; retried as a rolling deployment' });

  const rolling = await send('POST', '/api/deployments', { buildId: good.id, environment: 'production', strategy: 'rolling', version: '1.4.1' });
  for (let step = 0; step < 4; step++) await send('POST', `/api/deployments/${rolling.id}/advance`);
  await send('POST', `/api/deployments/${rolling.id}/rollback`, { reason: 'checkout latency regressed' });

  const retry = await send('POST', '/api/deployments', { buildId: good.id, environment: 'staging', strategy: 'canary', version: '1.4.2' });
  await undo(retry.commandId);
}

/** The incident agent reacts to the failure on its own: wait for the incident it opens. */
async function openedIncident(api: TestApp, deploymentId: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const response = await api.request('GET', `/api/incidents?deploymentId=${deploymentId}`);
    const first = response.body?.items?.[0] as { id: string } | undefined;
    if (first) return first.id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no incident was opened for deployment ${deploymentId}`);
}
