import type { Projection } from '../projection.js';
import { generationKey, sameGeneration, type Generation } from '../projection-generation.js';
import { isUnowned, type RebuildClaim, type RebuildClaims, type RebuildReason } from './rebuild-claims.js';
import { RebuildConflictError } from './rebuild-errors.js';
import { RebuildJob, type RebuildJobDeps, type RebuildTarget } from './rebuild-job.js';
import { dropGeneration } from './generation-cleanup.js';

export interface CoordinatorDeps extends RebuildJobDeps {
  claims: RebuildClaims;
  projections: Projection[];
  /** A claim whose owner has not beaten for this long is taken over. */
  staleAfterMs: number;
  /** The generation serving queries now. */
  liveGeneration(name: string): Generation;
}

/**
 * The rebuilds of one process: claims rebuilds (one per projection at a time, across
 * processes), runs the claims nobody runs in a shared-reader job, and resumes those a crash
 * or a stop left behind.
 */
export class RebuildCoordinator {
  private readonly jobs = new Set<RebuildJob>();
  private readonly byName: Map<string, Projection>;
  private picking: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: CoordinatorDeps) {
    this.byName = new Map(deps.projections.map((projection) => [projection.name, projection]));
  }

  /** Claims a rebuild of every projection given, or of none (RebuildConflictError names the busy ones). */
  async request(projections: Projection[], reason: RebuildReason): Promise<RebuildClaim[]> {
    const claimed: RebuildClaim[] = [];
    const busy: string[] = [];
    for (const projection of projections) {
      const claim = await this.deps.claims.claim(projection.name, reason);
      if (claim) claimed.push(claim);
      else busy.push(projection.name);
    }
    if (busy.length > 0) {
      for (const claim of claimed) await this.deps.claims.release(claim.id);
      throw new RebuildConflictError(busy);
    }
    return claimed;
  }

  /** Starts, in one job, every claim no process runs; returns that job (null when there was none). */
  pickUp(only?: Set<string>): Promise<RebuildJob | null> {
    // One pick-up at a time, so a claim is never started twice by this process.
    const picked = this.picking.then(() => this.pickUpNow(only));
    this.picking = picked.catch(() => null);
    return picked;
  }

  private async pickUpNow(only?: Set<string>): Promise<RebuildJob | null> {
    const targets: RebuildTarget[] = [];
    for (const claim of await this.deps.claims.all()) {
      const projection = this.byName.get(claim.id);
      if (!projection || (only && !only.has(claim.id)) || this.runningTarget(claim.id)) continue;
      const live = this.deps.liveGeneration(claim.id);
      if (claim.target && sameGeneration(claim.target, live)) {
        // Swapped just before a crash: only the claim was left to remove.
        await this.deps.claims.release(claim.id);
        continue;
      }
      if (!isUnowned(claim, this.deps.staleAfterMs)) continue;
      const target = await this.targetFor(projection, claim);
      await this.deps.claims.take(claim.id, this.deps.owner, target);
      targets.push({ projection, rebuildId: claim.rebuildId, reason: claim.reason, from: live, target });
    }
    if (targets.length === 0) return null;
    const job = new RebuildJob(this.deps, targets);
    this.jobs.add(job);
    this.deps.logger?.info({ projections: job.projections, targets: targets.map((t) => generationKey(t.target)) }, 'rebuild started');
    job
      .run()
      .catch((error: unknown) => this.deps.logger?.error({ projections: job.projections, err: error }, 'rebuild failed'))
      .finally(() => this.jobs.delete(job));
    return job;
  }

  /** The rebuild this process runs for the projection, with its job. */
  runningTarget(name: string): { job: RebuildJob; target: RebuildTarget } | null {
    for (const job of this.jobs) {
      const target = job.targetOf(name);
      if (target) return { job, target };
    }
    return null;
  }

  /** Resolves once the jobs running now have finished (swapped everything or stopped). */
  async settled(): Promise<void> {
    await Promise.all([...this.jobs].map((job) => job.run().catch(() => {})));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.jobs].map((job) => job.stop()));
  }

  /** The claim's own target when it has one for the current code version, else a fresh build. */
  private async targetFor(projection: Projection, claim: RebuildClaim): Promise<Generation> {
    if (claim.target?.version === projection.version) return claim.target;
    // A target of another code version (the code changed during the rebuild) is useless now.
    if (claim.target) await dropGeneration(this.deps, projection, claim.target);
    return this.deps.registry.reserveBuild(projection.name, projection.version);
  }
}
