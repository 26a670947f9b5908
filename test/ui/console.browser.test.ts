import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadEnv } from '../../src/config/env.js';
import { resolveAuthSecret } from '../../src/config/auth-secret.js';
import { startApi, type RunningApi } from '../../src/app/start-api.js';
import { issueToken } from '../../src/auth/tokens.js';
import type { Role } from '../../src/auth/roles.js';
import { newUlid } from '../../src/commands/new-ulid.js';

// The console in a real browser: Debian's chromium driven by playwright-core, against the
// embedded default started as `npm start` starts it (generated secret, local sign-in).
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(import.meta.dirname, '../../docs/screenshots');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`\n*** SKIPPING the console browser tests: ${CHROMIUM} is missing (apt-get install -y chromium) ***\n`);

let server: RunningApi;
let dataDir: string;
let secret: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!haveChromium) return;
  dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-console-'));
  server = await startApi(loadEnv({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', RATE_LIMIT_RPS: '0' }), { runProjections: true });
  await server.ready;
  secret = resolveAuthSecret(undefined, dataDir);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  if (!haveChromium) return;
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 30_000);

/** The API as a script would call it, with its own token. */
async function call(method: string, path: string, body?: unknown, options: { role?: Role; sub?: string; headers?: Record<string, string> } = {}) {
  const token = await issueToken(secret, options.sub ?? 'api-user', options.role ?? 'engineer');
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function signedIn(role: Role, sub = `${role}-in-browser`): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${server.url}/ui`);
  await page.waitForURL('**/ui/sign-in');
  await page.fill('#local-sign-in input[name=sub]', sub);
  await page.selectOption('#local-sign-in select[name=role]', role);
  await page.click('#local-sign-in button');
  await page.waitForURL(/\/ui$/);
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

async function approvedRequirement(sub = 'api-user'): Promise<string> {
  const captured = await call('POST', '/api/requirements', { title: 'Single sign-on', description: 'Staff log in once', priority: 'high', acceptanceCriteria: ['a user logs in with SSO'] }, { sub });
  await call('POST', `/api/requirements/${captured.body.id}/approve`, undefined, { sub });
  return captured.body.id;
}

async function feature(name: string): Promise<string> {
  const requirementId = await approvedRequirement();
  const created = await call('POST', '/api/features', { requirementId, name, complexityPoints: 5, developer: 'dana' });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe.skipIf(!haveChromium)('the console in chromium', () => {
  it('signs in as each role; the role is shown and only admins get the rebuild buttons', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const signIn = await context.newPage();
    await signIn.goto(`${server.url}/ui/sign-in`);
    await shot(signIn, 'sign-in');
    for (const role of ['viewer', 'engineer', 'admin'] as const) {
      const page = await signedIn(role);
      await expect.poll(() => page.textContent('#who')).toBe(`${role}-in-browser · ${role}`);
      await page.click('nav a:has-text("Operations")');
      await expect.poll(() => page.locator('#projections tbody tr').count()).toBeGreaterThan(5);
      expect(await page.locator('button.rebuild-start').count() > 0).toBe(role === 'admin');
    }
    // A pasted token works too; a bad one is refused.
    const token = await issueToken(secret, 'pasted', 'viewer');
    await signIn.fill('#token-sign-in textarea', 'not-a-token');
    await signIn.click('#token-sign-in button');
    await expect.poll(() => signIn.textContent('.problem')).toContain('invalid or expired');
    await signIn.fill('#token-sign-in textarea', token);
    await signIn.click('#token-sign-in button');
    await expect.poll(() => signIn.textContent('#who')).toBe('pasted · viewer');
  });

  it('filters the timeline by actor and pages it by cursor', async () => {
    const actor = `carol-${newUlid().slice(-5)}`;
    for (let i = 0; i < 3; i++) await approvedRequirement(actor);
    const page = await signedIn('viewer');
    await page.fill('#filters input[name=actor]', actor);
    await page.selectOption('#filters select[name=aggregateType]', 'requirement');
    await page.fill('#filters input[name=type]', 'RequirementCaptured');
    await page.locator('#filters input[name=limit]').evaluate((input: { value: string }) => (input.value = '2'));
    await page.click('#filters button[type=submit]');
    await page.waitForURL(/actor=/);
    await expect.poll(() => page.locator('#timeline tbody tr').count()).toBe(2);
    expect(await page.locator('#timeline tbody tr td:nth-child(2)').allTextContents()).toEqual([actor, actor]);
    await shot(page, 'timeline');
    await page.click('#next-page');
    await expect.poll(() => page.locator('#timeline tbody tr').count()).toBe(1);
    expect(await page.locator('#next-page').count()).toBe(0);
  });

  it('shows a command made through the API live, without reloading', async () => {
    const page = await signedIn('viewer');
    await expect.poll(() => page.textContent('#live-status')).toBe('live');
    const captured = await call('POST', '/api/requirements', { title: 'Live entry', description: '', priority: 'low', acceptanceCriteria: ['it shows up'] });
    await expect.poll(() => page.locator(`#timeline tbody tr.fresh a[href="/ui/aggregates/requirement/${captured.body.id}"]`).count(), { timeout: 10_000 }).toBe(1);
  });

  it('opens an aggregate, moves the revision slider and diffs two revisions', async () => {
    const id = await feature('Login');
    await call('PATCH', `/api/features/${id}`, { name: 'SSO login' });
    await call('PATCH', `/api/features/${id}`, { complexityPoints: 8 });
    const page = await signedIn('viewer');
    await page.goto(`${server.url}/ui/aggregates/feature/${id}`);
    expect(await page.textContent('#current-state')).toContain('SSO login');
    await page.locator('#revision-slider').fill('0');
    await page.locator('#revision-slider').dispatchEvent('change');
    await expect.poll(() => page.textContent('#state-at-meta')).toContain('revision 0');
    expect(await page.textContent('#state-at')).toContain('"name": "Login"');
    await page.selectOption('#diff-a', '0');
    await page.selectOption('#diff-b', '2');
    await page.click('#diff-go');
    await expect.poll(() => page.locator('#diff tr.changed').count()).toBeGreaterThan(0);
    expect(await page.textContent('#diff tr[data-field=name]')).toContain('"SSO login"');
    expect(await page.getAttribute('#diff tr[data-field=name]', 'class')).toBe('changed');
    expect(await page.getAttribute('#diff tr[data-field=complexityPoints]', 'class')).toBe('changed');
    expect(await page.getAttribute('#diff tr[data-field=developer]', 'class')).toBe('same');
    await shot(page, 'aggregate');
  });

  it('undoes a command after a preview, then shows the 409 of a conflicting undo with a link to the later command', async () => {
    const id = await feature('Checkout');
    const rename = await call('PATCH', `/api/features/${id}`, { name: 'One-click checkout' });
    const page = await signedIn('engineer');
    await page.goto(`${server.url}/ui/aggregates/feature/${id}`);
    await page.click(`button.undo[data-command="${rename.body.commandId}"]`);
    await expect.poll(() => page.textContent('#preview-events')).toContain('"name": "Checkout"');
    expect((await call('GET', `/api/features/${id}/history`)).body.items).toHaveLength(2);
    await shot(page, 'undo-preview');
    await page.click('#preview-confirm');
    await expect.poll(() => page.textContent('#applied')).toContain('FeatureUpdated');
    expect((await call('GET', `/api/features/${id}?revision=2`)).body.name).toBe('Checkout');

    // Undoing the rename again would overwrite the undo (a later command changed the name): 409.
    await page.reload();
    const history = (await call('GET', `/api/features/${id}/history`)).body.items;
    const undoCommand = history[2].metadata.commandId;
    await page.click(`button.undo[data-command="${rename.body.commandId}"]`);
    await expect.poll(() => page.textContent('#action-result .problem')).toContain('409');
    expect(await page.getAttribute('#action-result a.conflict', 'href')).toBe(`/ui/commands/${undoCommand}`);
    await shot(page, 'undo-conflict');
  });

  it('follows a trace from a pipeline start to its deployments and the incident', async () => {
    const featureId = await feature('Payments');
    const started = await call('POST', '/api/pipelines', { featureId, commit: 'abcdef12', environment: 'production', strategy: 'canary', version: '7.0.0', bakeTimeMs: 600_000 });
    expect(started.status).toBe(201);
    const runId = started.body.id;
    const correlation = { 'x-correlation-id': started.body.correlationId };
    const until = async (check: (run: any) => boolean) =>
      expect.poll(async () => check((await call('GET', `/api/pipelines/${runId}`)).body), { timeout: 20_000 }).toBe(true);
    await until((run) => run.currentStage !== 'awaiting_build_request' && run.status === 'running');
    await expect.poll(async () => (await call('GET', `/api/builds/${runId}`)).status, { timeout: 10_000 }).toBe(200);
    await call('POST', `/api/builds/${runId}/result`, { outcome: 'succeeded', durationMs: 1000 }, { headers: correlation });
    await call('POST', `/api/builds/${runId}/test-runs`, { passed: 10, failed: 0, coverage: 95 }, { headers: correlation });
    await call('POST', `/api/builds/${runId}/security-scans`, { findings: [] }, { headers: correlation });

    const page = await signedIn('viewer');
    await page.goto(`${server.url}/ui/pipelines/${runId}`);
    await expect.poll(() => page.textContent('[data-stage=staging] .badge'), { timeout: 20_000 }).toBe('in_progress');
    await shot(page, 'pipeline-run');
    await call('POST', `/api/builds/${runId}/test-runs`, { passed: 7, failed: 3, coverage: 95 }, { headers: correlation });
    await expect.poll(() => page.textContent('#run-status'), { timeout: 20_000 }).toBe('failed');
    expect(await page.textContent('[data-stage=staging] .badge')).toBe('rolled_back');

    const startCommand = started.body.commandId;
    await expect.poll(async () => JSON.stringify((await call('GET', `/api/commands/${startCommand}/trace`)).body), { timeout: 10_000 }).toContain('IncidentOpened');
    await page.click('#trace-link');
    await page.waitForURL(`**/ui/commands/${startCommand}`);
    expect(await page.locator('#trace > .trace-command > div').first().textContent()).toContain('pipeline.start');
    expect(await page.locator('.trace-event[data-type=DeploymentStarted]').count()).toBeGreaterThanOrEqual(1);
    const incident = page.locator('.trace-command[data-aggregate=incident]');
    expect(await incident.count()).toBe(1);
    // The incident sits under the deployment's failure, which sits under the run.
    expect(await page.locator('.trace-command[data-aggregate=deployment] .trace-command[data-aggregate=incident]').count()).toBe(1);
    expect(await incident.textContent()).toContain('agent:incident');
    await shot(page, 'trace');
  });

  it('draws the delivery metrics as charts: the failed staging rollout of the run above is today\'s change failure', async () => {
    const page = await signedIn('viewer');
    await page.goto(`${server.url}/ui/metrics?days=7`);
    for (const environment of ['staging', 'production']) {
      for (const chart of ['frequency', 'failure-rate', 'restore']) expect(await page.locator(`svg#${chart}-${environment}`).count()).toBe(1);
    }
    const today = new Date().toISOString().slice(0, 10);
    await expect.poll(async () => {
      await page.reload();
      return page.locator(`svg#failure-rate-staging rect.bar[data-label="${today}"]`).getAttribute('data-value', { timeout: 1000 }).catch(() => null);
    }, { timeout: 10_000 }).toBe('1');
    await shot(page, 'delivery-metrics');
  });

  it('watches a rebuild from its progress bar to the swap', async () => {
    // Enough events that the rebuild outlasts a few refreshes of the page, even on a busy machine.
    for (let batch = 0; batch < 60; batch++) {
      const events = Array.from({ length: 500 }, (_, i) => ({ id: randomUUID(), type: 'NoiseRecorded', data: { i }, metadata: { actor: 'load', at: new Date().toISOString() } }));
      await server.backends.events.append(`noise-${newUlid()}`, events, 'no_stream');
    }
    const page = await signedIn('admin');
    await page.goto(`${server.url}/ui/operations`);
    await expect.poll(() => page.textContent('tr[data-name=audit] .lag'), { timeout: 60_000 }).toBe('0');
    await page.click('tr[data-name=audit] button.rebuild-start');
    await expect.poll(() => page.locator('tr[data-name=audit] .rebuild [role=progressbar]').count(), { timeout: 30_000 }).toBe(1);
    await shot(page, 'operations-rebuild');
    await expect.poll(() => page.textContent('tr[data-name=audit] .last-rebuild'), { timeout: 60_000 }).toContain('swapped');
    expect(await page.textContent('tr[data-name=audit] .rebuild')).not.toContain('%');
  }, 120_000);

  it('shows a viewer no undo button, and the API answers 403 if the viewer posts anyway', async () => {
    const id = await feature('Search');
    const rename = await call('PATCH', `/api/features/${id}`, { name: 'Fuzzy search' });
    const page = await signedIn('viewer');
    await page.goto(`${server.url}/ui/aggregates/feature/${id}`);
    expect(await page.locator('#history tbody tr').count()).toBe(2);
    expect(await page.locator('button.undo').count()).toBe(0);
    expect(await page.locator('#revert').count()).toBe(0);
    const status = await page.evaluate(async (commandId) => (await fetch(`/ui/api/commands/${commandId}/undo`, { method: 'POST' })).status, rename.body.commandId);
    expect(status).toBe(403);
    expect((await call('GET', `/api/features/${id}/history`)).body.items).toHaveLength(2);
  });
});
