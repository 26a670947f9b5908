import { expect } from 'vitest';
import type { TestApp } from '../../support/test-app.js';
import { eventually } from '../../agents/support/eventually.js';

// A client doing by API calls alone what people and external agents (CI, test runner, scanner)
// do around a pipeline run.

export const ACCEPTANCE_CRITERIA = ['a user logs in with SSO', 'a session ends everywhere on logout', 'a locked account cannot log in'];

export async function approvedFeature(api: TestApp, name = 'SSO login'): Promise<{ requirementId: string; featureId: string }> {
  const requirement = await api.request('POST', '/api/requirements', {
    body: { title: 'Single sign-on', description: 'One login for every tool', priority: 'high', acceptanceCriteria: ACCEPTANCE_CRITERIA },
  });
  expect(requirement.status).toBe(201);
  expect((await api.request('POST', `/api/requirements/${requirement.body.id}/approve`)).status).toBe(200);
  const feature = await api.request('POST', '/api/features', { body: { requirementId: requirement.body.id, name, complexityPoints: 5, developer: 'dana' } });
  expect(feature.status).toBe(201);
  return { requirementId: requirement.body.id, featureId: feature.body.id };
}

export interface StartedRun {
  id: string;
  correlationId: string;
}

export async function startPipeline(api: TestApp, body: Record<string, unknown>): Promise<StartedRun> {
  const started = await api.request('POST', '/api/pipelines', { body });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return { id: started.body.id, correlationId: started.body.correlationId };
}

/** The pipeline agent requests the build; a CI system sees it and later records the result. */
export async function awaitBuildRequest(api: TestApp, run: StartedRun): Promise<void> {
  await eventually(async () => ((await api.request('GET', `/api/builds/${run.id}`)).status === 200 ? true : undefined), 'the build request');
}

/** External agents record their results under the run's correlation id, as the run asks. */
export async function record(api: TestApp, run: StartedRun, what: 'result' | 'test-runs' | 'security-scans', body: unknown): Promise<void> {
  const response = await api.request('POST', `/api/builds/${run.id}/${what}`, { body, headers: { 'x-correlation-id': run.correlationId } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

export const passingTests = { passed: 120, failed: 0, coverage: 91 };
export const cleanScan = { findings: [] };

export async function recordGreenBuild(api: TestApp, run: StartedRun): Promise<void> {
  await awaitBuildRequest(api, run);
  await record(api, run, 'result', { outcome: 'succeeded', durationMs: 42_000 });
  await record(api, run, 'test-runs', passingTests);
  await record(api, run, 'security-scans', cleanScan);
}

export async function awaitRun(api: TestApp, run: StartedRun, until: (doc: any) => boolean, what: string, timeoutMs = 15_000): Promise<any> {
  return eventually(
    async () => {
      const response = await api.request('GET', `/api/pipelines/${run.id}`);
      return response.status === 200 && until(response.body) ? response.body : undefined;
    },
    what,
    timeoutMs,
  );
}

/** Every audit entry of a correlation id, oldest first. */
export async function auditTrail(api: TestApp, correlationId: string): Promise<any[]> {
  const entries: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await api.request('GET', `/api/audit?correlationId=${correlationId}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    entries.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return entries.reverse();
}
