/**
 * What a CI delivery says about a commit, whatever system sent it. `outcome` is null when the
 * delivery reports no final result (a run that started, was cancelled or skipped).
 */
export interface CiReport {
  provider: 'github' | 'gitlab';
  /** The vendor's event name, e.g. 'workflow_run' or 'Pipeline Hook'. */
  event: string;
  /** The run's name and number as the vendor shows it, for people reading the delivery log. */
  run: string;
  repository: string | null;
  commit: string | null;
  outcome: 'succeeded' | 'failed' | null;
  durationMs: number;
  /** Why a delivery carries no result, e.g. 'status in_progress'. */
  note: string | null;
}

/** Milliseconds between two vendor timestamps, 0 when either is missing or they are out of order. */
export function elapsedMs(from: string | null | undefined, to: string | null | undefined): number {
  if (!from || !to) return 0;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}
