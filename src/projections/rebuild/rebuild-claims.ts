import { z } from 'zod';
import { hostname } from 'node:os';
import { ulid } from 'ulid';
import type { ReadStore } from '../../readstore/port.js';
import { generationSchema, type Generation } from '../projection-generation.js';

const REBUILDS = '_rebuilds';

export const rebuildProgressSchema = z.object({
  /** Last log position applied to the new generation (null before the first batch). */
  position: z.string().nullable(),
  head: z.string().nullable(),
  /** Events read by this run of the rebuild (a resumed rebuild counts from its restart). */
  processed: z.number().int(),
  /** Share of the log (by position) behind the new generation, 0..100. */
  percent: z.number(),
  eventsPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  /** Building from the log, or caught up and waiting to swap. */
  phase: z.enum(['building', 'indexing', 'swapping']),
});
export type RebuildProgress = z.infer<typeof rebuildProgressSchema>;

export const rebuildReasonSchema = z.enum(['requested', 'version_changed']);
export type RebuildReason = z.infer<typeof rebuildReasonSchema>;

/**
 * The rebuild of one projection in progress: one document per projection in `_rebuilds`,
 * created only when none exists (an upsert that reports whether it matched), which makes it
 * the lock behind "one rebuild per projection at a time" across processes. The process that
 * runs the rebuild owns it and refreshes `heartbeatAt`; a claim with no owner, or whose owner
 * stopped beating, is picked up by the next process that runs projections.
 */
const rebuildClaimSchema = z.object({
  id: z.string(),
  rebuildId: z.string(),
  reason: rebuildReasonSchema,
  status: z.enum(['requested', 'running']),
  /** Fixed when the rebuild first starts, so a resumed rebuild goes on in the same collections. */
  // Missing means null: not every store keeps null fields written by $setOnInsert.
  target: generationSchema.nullable().default(null),
  owner: z.string().nullable().default(null),
  requestedAt: z.string(),
  startedAt: z.string().nullable().default(null),
  heartbeatAt: z.string().nullable().default(null),
  progress: rebuildProgressSchema.nullable().default(null),
});
export type RebuildClaim = z.infer<typeof rebuildClaimSchema>;

/** The claim was taken over or cancelled: its former owner must not write any more. */
export class LostClaimError extends Error {
  constructor(readonly projection: string) {
    super(`the rebuild of ${projection} is no longer owned by this process`);
    this.name = 'LostClaimError';
  }
}

export class RebuildClaims {
  constructor(private readonly store: ReadStore) {}

  /** The new claim, or null when a rebuild of this projection is already claimed. */
  async claim(projection: string, reason: RebuildReason): Promise<RebuildClaim | null> {
    const fresh: Omit<RebuildClaim, 'id'> = {
      rebuildId: ulid(),
      reason,
      status: 'requested',
      target: null,
      owner: null,
      requestedAt: new Date().toISOString(),
      startedAt: null,
      heartbeatAt: null,
      progress: null,
    };
    const { matched } = await this.store.collection(REBUILDS).update(projection, { $setOnInsert: fresh }, { upsert: true });
    return matched ? null : { id: projection, ...fresh };
  }

  async get(projection: string): Promise<RebuildClaim | null> {
    const parsed = rebuildClaimSchema.safeParse(await this.store.collection(REBUILDS).get(projection));
    return parsed.success ? parsed.data : null;
  }

  async all(): Promise<RebuildClaim[]> {
    const docs = await this.store.collection(REBUILDS).find({});
    return docs.flatMap((doc) => {
      const parsed = rebuildClaimSchema.safeParse(doc);
      return parsed.success ? [parsed.data] : [];
    });
  }

  async take(projection: string, owner: string, target: Generation): Promise<void> {
    const now = new Date().toISOString();
    await this.store.collection(REBUILDS).update(projection, { $set: { owner, target, status: 'running', startedAt: now, heartbeatAt: now } });
  }

  /** False when the claim is gone or another process owns it now: the caller must stop. */
  async heartbeat(projection: string, owner: string, progress: RebuildProgress): Promise<boolean> {
    const claim = await this.get(projection);
    if (!claim || claim.owner !== owner) return false;
    await this.store.collection(REBUILDS).update(projection, { $set: { heartbeatAt: new Date().toISOString(), progress } });
    return true;
  }

  async assertOwned(projection: string, owner: string): Promise<void> {
    if ((await this.get(projection))?.owner !== owner) throw new LostClaimError(projection);
  }

  /** A graceful stop: the next process that runs projections resumes it right away. */
  async letGo(projection: string, owner: string): Promise<void> {
    const claim = await this.get(projection);
    if (claim?.owner !== owner) return;
    await this.store.collection(REBUILDS).update(projection, { $set: { owner: null, status: 'requested' } });
  }

  async release(projection: string): Promise<void> {
    await this.store.collection(REBUILDS).delete(projection);
  }
}

/** `host#pid#nonce`: who runs a rebuild, and enough to tell when that process is gone. */
export function ownerId(): string {
  return `${hostname()}#${process.pid}#${ulid().slice(-6)}`;
}

/** A claim nobody runs: never started, let go, its owner stopped beating, or died on this host. */
export function isUnowned(claim: RebuildClaim, staleAfterMs: number, now = Date.now()): boolean {
  if (claim.owner === null || ownerDiedHere(claim.owner)) return true;
  const beat = claim.heartbeatAt === null ? 0 : Date.parse(claim.heartbeatAt);
  return now - beat > staleAfterMs;
}

/** A killed CLI or worker on this machine need not be waited for until its heartbeat is stale. */
export function ownerDiedHere(owner: string): boolean {
  const [host, pidText] = owner.split('#');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
