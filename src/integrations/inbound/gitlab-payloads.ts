import { z } from 'zod';
import type { CiReport } from './ci-report.js';

// The parts of GitLab's pipeline and job webhook payloads that say what happened to a commit.

const pipelineSchema = z.object({
  object_kind: z.literal('pipeline'),
  object_attributes: z.object({
    id: z.number().int(),
    sha: z.string(),
    status: z.string(),
    duration: z.number().nullable().optional(),
    name: z.string().nullable().optional(),
  }),
  project: z.object({ path_with_namespace: z.string() }).optional(),
});

const jobSchema = z.object({
  object_kind: z.literal('build'),
  build_id: z.number().int(),
  build_name: z.string().optional(),
  build_status: z.string(),
  build_duration: z.number().nullable().optional(),
  sha: z.string(),
  project_name: z.string().optional(),
  project: z.object({ path_with_namespace: z.string() }).optional(),
});

const gitlabPayloadSchema = z.discriminatedUnion('object_kind', [pipelineSchema, jobSchema]);

/** The GitLab events that can carry a build result (the X-Gitlab-Event header). */
export const GITLAB_EVENTS = ['Pipeline Hook', 'Job Hook'] as const;

/** `success` and `failed` are final results; running, pending, canceled, skipped… are not. */
function outcomeOf(status: string): Pick<CiReport, 'outcome' | 'note'> {
  if (status === 'success') return { outcome: 'succeeded', note: null };
  if (status === 'failed') return { outcome: 'failed', note: null };
  return { outcome: null, note: `status ${status}` };
}

const seconds = (value: number | null | undefined) => Math.max(0, Math.round((value ?? 0) * 1000));

export interface GitlabDelivery {
  report: CiReport;
  /** The event's own identity: GitLab sends one event per status change of a pipeline or job. */
  eventKey: string;
}

/** Parses a GitLab delivery; throws a ZodError for a payload of the wrong shape. */
export function parseGitlabDelivery(event: string, payload: unknown): GitlabDelivery {
  const parsed = gitlabPayloadSchema.parse(payload);
  if (parsed.object_kind === 'pipeline') {
    const { id, sha, status, duration, name } = parsed.object_attributes;
    return {
      eventKey: `pipeline:${id}:${status}`,
      report: {
        provider: 'gitlab',
        event,
        run: `${name ?? 'pipeline'} #${id}`,
        repository: parsed.project?.path_with_namespace ?? null,
        commit: sha,
        durationMs: seconds(duration),
        ...outcomeOf(status),
      },
    };
  }
  return {
    eventKey: `job:${parsed.build_id}:${parsed.build_status}`,
    report: {
      provider: 'gitlab',
      event,
      run: `${parsed.build_name ?? 'job'} #${parsed.build_id}`,
      repository: parsed.project?.path_with_namespace ?? parsed.project_name ?? null,
      commit: parsed.sha,
      durationMs: seconds(parsed.build_duration),
      ...outcomeOf(parsed.build_status),
    },
  };
}
