import type { RebuildProgress } from './rebuild-claims.js';

interface ProgressSample {
  /** Position the rebuild had reached when this run started (null: the start of the log). */
  startPosition: bigint | null;
  position: bigint | null;
  head: bigint | null;
  /** Events read since this run started. */
  processed: number;
  elapsedMs: number;
  phase: RebuildProgress['phase'];
}

/**
 * Percent and ETA are measured in log positions (a count of events on the embedded log, byte
 * offsets on EventStoreDB, where they are still proportional); the rate is in events.
 */
export function rebuildProgress(sample: ProgressSample): RebuildProgress {
  const position = sample.position ?? 0n;
  const start = sample.startPosition ?? 0n;
  const head = sample.head ?? 0n;
  const seconds = sample.elapsedMs / 1000;
  const percent = head <= 0n ? 100 : Math.min(100, (Number(position) / Number(head)) * 100);
  const positionsPerSecond = seconds > 0 ? Number(position - start) / seconds : 0;
  const remaining = head > position ? Number(head - position) : 0;
  return {
    position: sample.position === null ? null : sample.position.toString(),
    head: sample.head === null ? null : sample.head.toString(),
    processed: sample.processed,
    percent: Math.round(percent * 10) / 10,
    eventsPerSecond: seconds > 0 ? Math.round(sample.processed / seconds) : 0,
    etaSeconds: remaining === 0 ? 0 : positionsPerSecond > 0 ? Math.ceil(remaining / positionsPerSecond) : null,
    phase: sample.phase,
  };
}
