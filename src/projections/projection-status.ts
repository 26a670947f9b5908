import { z } from 'zod';
import { rebuildOutcomeSchema } from './projection-registry.js';
import { rebuildProgressSchema, rebuildReasonSchema } from './rebuild/rebuild-claims.js';

const projectionStateSchema = z.enum(['live', 'catching_up', 'rebuilding', 'stalled', 'error']);
type ProjectionState = z.infer<typeof projectionStateSchema>;

const rebuildStatusSchema = z.object({
  id: z.string(),
  reason: rebuildReasonSchema,
  /** requested: waiting for a process that runs projections; running: being built. */
  state: z.enum(['requested', 'running']),
  targetGeneration: z.string().nullable(),
  owner: z.string().nullable(),
  requestedAt: z.string(),
  startedAt: z.string().nullable(),
  progress: rebuildProgressSchema.nullable(),
  /** The last failure of the rebuild's batches, while it retries (seen where it runs). */
  lastError: z.string().nullable(),
});
export type RebuildStatus = z.infer<typeof rebuildStatusSchema>;

export const projectionStatusSchema = z.object({
  name: z.string(),
  /** Code version of the live generation. */
  version: z.number().int(),
  /** The live generation: `v<version>` or `v<version>_b<build>` after rebuilds. */
  generation: z.string(),
  /** Version of the projection's code in this process (differs from `version` until a rebuild swaps it in). */
  codeVersion: z.number().int(),
  checkpoint: z.string().nullable(),
  /**
   * Log positions between the head and the checkpoint. Embedded log positions are gapless, so
   * this is the number of events behind; EventStoreDB positions are byte offsets in its
   * transaction log, so there it is bytes behind (0 exactly when caught up).
   */
  lag: z.number().int(),
  status: projectionStateSchema,
  lastError: z.string().nullable(),
  /** Events of the live generation parked after their handler kept failing. */
  parked: z.number().int(),
  rebuild: rebuildStatusSchema.nullable(),
  lastRebuild: rebuildOutcomeSchema.nullable(),
  /**
   * The worker running the projection (`host#pid#nonce`), by its lease; null when no process
   * holds the lease (between a worker's death and the takeover).
   */
  heldBy: z.string().nullable(),
});
export type ProjectionStatus = z.infer<typeof projectionStatusSchema>;

/** error, then stalled, then rebuilding, then catching up or live. */
export function projectionState(facts: { lastError: string | null; stalled: boolean; rebuilding: boolean; rebuildStalled: boolean; lag: number }): ProjectionState {
  if (facts.lastError !== null) return 'error';
  if (facts.rebuilding) return facts.rebuildStalled ? 'stalled' : 'rebuilding';
  if (facts.stalled) return 'stalled';
  return facts.lag > 0 ? 'catching_up' : 'live';
}
