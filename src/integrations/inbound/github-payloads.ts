import { z } from 'zod';
import { elapsedMs, type CiReport } from './ci-report.js';

// The parts of GitHub's `workflow_run` and `check_run` webhook payloads that say what happened
// to a commit. Other keys are GitHub's and are left alone.

const repositorySchema = z.object({ full_name: z.string() });
const conclusionSchema = z.string().nullable().optional();

const workflowRunSchema = z.object({
  action: z.string(),
  workflow_run: z.object({
    id: z.number().int(),
    name: z.string().nullable().optional(),
    run_number: z.number().int().optional(),
    head_sha: z.string(),
    status: z.string().nullable().optional(),
    conclusion: conclusionSchema,
    run_started_at: z.string().nullable().optional(),
    updated_at: z.string().nullable().optional(),
  }),
  repository: repositorySchema.optional(),
});

const checkRunSchema = z.object({
  action: z.string(),
  check_run: z.object({
    id: z.number().int(),
    name: z.string().optional(),
    head_sha: z.string(),
    status: z.string().nullable().optional(),
    conclusion: conclusionSchema,
    started_at: z.string().nullable().optional(),
    completed_at: z.string().nullable().optional(),
  }),
  repository: repositorySchema.optional(),
});

/** The GitHub events that can carry a build result. */
export const GITHUB_EVENTS = ['workflow_run', 'check_run'] as const;

/**
 * A finished run's conclusion as a build outcome. Cancelled, skipped, neutral and stale runs did
 * not decide anything about the commit, and a build result is recorded only once, so they give none.
 */
function outcomeOf(action: string, conclusion: string | null | undefined): Pick<CiReport, 'outcome' | 'note'> {
  if (action !== 'completed') return { outcome: null, note: `action ${action}` };
  if (conclusion === 'success') return { outcome: 'succeeded', note: null };
  if (conclusion === 'failure' || conclusion === 'timed_out' || conclusion === 'startup_failure') return { outcome: 'failed', note: null };
  return { outcome: null, note: `conclusion ${conclusion ?? 'none'}` };
}

/** Parses a GitHub delivery of `event`; throws a ZodError for a payload of the wrong shape. */
export function parseGithubDelivery(event: string, payload: unknown): CiReport {
  if (event === 'workflow_run') {
    const { action, workflow_run: run, repository } = workflowRunSchema.parse(payload);
    return {
      provider: 'github',
      event,
      run: `${run.name ?? 'workflow'} #${run.run_number ?? run.id}`,
      repository: repository?.full_name ?? null,
      commit: run.head_sha,
      durationMs: elapsedMs(run.run_started_at, run.updated_at),
      ...outcomeOf(action, run.conclusion),
    };
  }
  const { action, check_run: run, repository } = checkRunSchema.parse(payload);
  return {
    provider: 'github',
    event,
    run: `${run.name ?? 'check'} #${run.id}`,
    repository: repository?.full_name ?? null,
    commit: run.head_sha,
    durationMs: elapsedMs(run.started_at, run.completed_at),
    ...outcomeOf(action, run.conclusion),
  };
}
