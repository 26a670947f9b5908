import type { Logger } from 'pino';
import type { EventStore } from '../eventstore/port.js';
import type { ReadCollection, ReadStore } from '../readstore/port.js';
import type { Projection } from './projection.js';
import { generationCollection, generationKey, sameGeneration, type Generation } from './projection-generation.js';
import { liveGeneration, ProjectionRegistry, type RegistryEntry } from './projection-registry.js';
import { ProjectionRunner, type RunnerOptions } from './projection-runner.js';
import { ProjectionWriter, DEFAULT_POISON_POLICY, type PoisonPolicy } from './projection-writer.js';
import { ParkedEvents, errorMessage, type ParkedEvent } from './projection-parking.js';
import { retryParkedEvents, type ParkedRetryResult } from './projection-parked-retry.js';
import { PositionWaiters } from './projection-waiters.js';
import { StallDetector } from './projection-stall.js';
import { projectionState, type ProjectionStatus, type RebuildStatus } from './projection-status.js';
import { RebuildClaims, isUnowned, ownerId, type RebuildClaim, type RebuildProgress } from './rebuild/rebuild-claims.js';
import { RebuildCoordinator } from './rebuild/rebuild-coordinator.js';
import type { RebuildTarget, RebuildTimings } from './rebuild/rebuild-job.js';
import { dropGeneration, dropOtherGenerations, type CleanupDeps } from './rebuild/generation-cleanup.js';
import { Retirements } from './rebuild/retirements.js';
import { ProjectionNotWritableError, RebuildConflictError, UnknownProjectionError } from './rebuild/rebuild-errors.js';

export interface ProjectionServiceOptions {
  /** Run the projections here (the worker, or the single embedded process); else only observe them. */
  run: boolean;
  logger?: Logger;
  runner?: RunnerOptions;
  rebuild?: {
    /** Events per read of the log during a rebuild (default 1,000). */
    batchSize?: number;
    heartbeatMs?: number;
    /** A rebuild whose process has not beaten for this long is taken over (default 30 s). */
    staleAfterMs?: number;
  };
  /** How often the registry is re-read to follow swaps and pick up requests (default 1 s). */
  registryPollMs?: number;
  /** Behind the head with a checkpoint that has not moved for this long is a stall (default 30 s). */
  stallAfterMs?: number;
  /** How long a swapped-out generation stays readable for queries already under way (default 5 s). */
  retireAfterMs?: number;
}

export interface RebuildTicket {
  id: string;
  projection: string;
  state: 'requested' | 'running';
  reason: RebuildClaim['reason'];
}

export interface RebuildReport {
  progress: RebuildProgress | null;
  timings: RebuildTimings;
  /** False when the rebuild stopped before every projection was swapped in. */
  swapped: boolean;
}

export type ParkedRetryAnswer = ({ done: true } & ParkedRetryResult) | { done: false };

const OBSERVER_WAIT_POLL_MS = 50;

/**
 * The projections of one process. With `run`, it runs them: a live runner per projection on
 * its live generation, rebuilds (blue-green, resumable) and parked retries. Without, it answers
 * queries from the live generations and reads checkpoints written by a worker elsewhere; it
 * records rebuild and retry requests for that worker. Either way it re-reads the registry
 * every second, so it follows swaps made by any process.
 */
export class ProjectionService {
  readonly registry: ProjectionRegistry;
  readonly parked: ParkedEvents;
  private readonly claims: RebuildClaims;
  private readonly coordinator: RebuildCoordinator;
  private readonly byName = new Map<string, Projection>();
  /** The projection writing each logical collection. */
  private readonly projectionByCollection = new Map<string, Projection>();
  private readonly live = new Map<string, Generation>();
  private readonly runners = new Map<string, ProjectionRunner>();
  private readonly waiters = new Map<string, PositionWaiters>();
  private readonly retirements: Retirements;
  private readonly stalls: StallDetector;
  private readonly statusListeners: Array<(statuses: ProjectionStatus[]) => void> = [];
  private readonly policy: PoisonPolicy;
  /** Names this process on the rebuild claims it takes. */
  private readonly claimOwner = ownerId();
  private readonly cleanupDeps: CleanupDeps;
  private pollTimer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    readonly projections: Projection[],
    private readonly options: ProjectionServiceOptions = { run: true },
  ) {
    this.registry = new ProjectionRegistry(readStore);
    this.parked = new ParkedEvents(readStore);
    this.claims = new RebuildClaims(readStore);
    this.cleanupDeps = { readStore, registry: this.registry, parked: this.parked };
    this.retirements = new Retirements({ ...this.cleanupDeps, logger: options.logger }, options.retireAfterMs ?? 5_000, (name) => this.liveGenerationOf(name));
    this.stalls = new StallDetector(options.stallAfterMs ?? 30_000);
    this.policy = {
      maxAttempts: options.runner?.maxAttempts ?? DEFAULT_POISON_POLICY.maxAttempts,
      retryDelayMs: options.runner?.retryDelayMs ?? DEFAULT_POISON_POLICY.retryDelayMs,
    };
    for (const projection of projections) {
      this.byName.set(projection.name, projection);
      this.waiters.set(projection.name, new PositionWaiters());
      for (const logical of Object.keys(projection.collections)) this.projectionByCollection.set(logical, projection);
    }
    this.coordinator = new RebuildCoordinator({
      events,
      readStore,
      registry: this.registry,
      parked: this.parked,
      claims: this.claims,
      projections,
      owner: this.claimOwner,
      policy: this.policy,
      batchSize: options.rebuild?.batchSize ?? 1_000,
      heartbeatMs: options.rebuild?.heartbeatMs ?? 1_000,
      staleAfterMs: options.rebuild?.staleAfterMs ?? 30_000,
      logger: options.logger,
      liveGeneration: (name) => this.liveGenerationOf(name),
      livePosition: (name) => this.appliedPosition(name),
      onSwapped: (target) => this.afterSwap(target),
    });
  }

  async start(): Promise<void> {
    await this.parked.ensureIndexes();
    const entries = await this.registry.entries();
    for (const projection of this.projections) {
      const entry = entries.get(projection.name) ?? (await this.registry.ensure(projection.name, { version: projection.version, build: 0 }));
      this.live.set(projection.name, liveGeneration(entry));
    }
    if (this.options.run) {
      for (const projection of this.projections) {
        const live = this.liveGenerationOf(projection.name);
        if (live.version === projection.version) await this.startRunner(projection, live);
        else await this.requestVersionRebuild(projection, live);
      }
      await this.coordinator.pickUp();
      await this.cleanUpGenerations(entries);
    }
    this.pollTimer = setInterval(() => void this.tick(), this.options.registryPollMs ?? 1_000);
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    await this.ticking;
    await this.coordinator.stop();
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    this.runners.clear();
    // Generations waiting to be dropped are left to the next start's clean-up.
    this.retirements.cancel();
  }

  /** The live generation's collection for a logical read-model name, e.g. 'features'. */
  collection(logical: string): ReadCollection {
    const projection = this.projectionOwning(logical);
    return this.readStore.collection(generationCollection(logical, this.liveGenerationOf(projection.name)));
  }

  liveGenerationOf(name: string): Generation {
    return this.live.get(name) ?? { version: this.projectionNamed(name).version, build: 0 };
  }

  /** Waits until the projection owning `logical` has applied `position`; false on timeout. */
  async waitFor(logical: string, position: bigint, timeoutMs: number): Promise<boolean> {
    const projection = this.projectionOwning(logical);
    if (this.options.run) {
      const name = projection.name;
      const frozen = this.runners.has(name) ? null : await this.appliedPosition(name);
      return this.waiters.get(name)!.wait(position, timeoutMs, () => this.runners.get(name)?.position ?? frozen);
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Re-read the registry each time: a swap made by the worker must be followed at once.
      const entry = await this.registry.entry(projection.name);
      if (entry) this.live.set(projection.name, liveGeneration(entry));
      const reached = await this.appliedPosition(projection.name);
      if (reached !== null && reached >= position) return true;
      if (Date.now() >= deadline) return false;
      await sleep(OBSERVER_WAIT_POLL_MS);
    }
  }

  /** Waits until every projection has applied `position`. */
  async waitForAll(position: bigint, timeoutMs: number): Promise<boolean> {
    const results = await Promise.all(this.projections.map((projection) => this.waitFor(Object.keys(projection.collections)[0]!, position, timeoutMs)));
    return results.every(Boolean);
  }

  /**
   * Requests a blue-green rebuild of one projection or of `all` (in one job sharing one reader
   * of the log). Here when this process runs projections; else the worker picks it up.
   */
  async requestRebuild(target: string): Promise<RebuildTicket[]> {
    const projections = this.selectProjections(target);
    const claims = await this.coordinator.request(projections, 'requested');
    if (this.options.run) await this.coordinator.pickUp(new Set(projections.map((projection) => projection.name)));
    return claims.map((claim) => ({
      id: claim.rebuildId,
      projection: claim.id,
      state: this.coordinator.runningTarget(claim.id) ? 'running' : 'requested',
      reason: claim.reason,
    }));
  }

  /**
   * Runs a rebuild in this process whatever `run` says (the CLI), resuming one nobody runs.
   * Resolves once every projection named was swapped in and its old generation dropped.
   */
  async rebuildHere(target: string, watch: { onProgress?(progress: RebuildProgress | null): void; onBuilt?(): void } = {}): Promise<RebuildReport> {
    const { onProgress } = watch;
    const projections = this.selectProjections(target);
    const names = new Set(projections.map((projection) => projection.name));
    try {
      await this.coordinator.request(projections, 'requested');
    } catch (error) {
      if (!(error instanceof RebuildConflictError)) throw error;
      // Already requested: fine when nobody runs it (a stopped CLI, a request for an absent worker).
      const busy = [];
      for (const name of error.projections) {
        const claim = await this.claims.get(name);
        if (claim && !isUnowned(claim, this.options.rebuild?.staleAfterMs ?? 30_000)) busy.push(name);
      }
      if (busy.length > 0) throw new RebuildConflictError(busy);
      const unclaimed = projections.filter((projection) => !error.projections.includes(projection.name));
      await this.coordinator.request(unclaimed, 'requested');
    }
    const job = await this.coordinator.pickUp(names);
    if (!job) throw new RebuildConflictError([...names]);
    const reporter = onProgress ? setInterval(() => onProgress(job.progress), 200) : null;
    try {
      await job.run();
    } finally {
      if (reporter) clearInterval(reporter);
    }
    onProgress?.(job.progress);
    const report = { progress: job.progress, timings: job.timings, swapped: [...names].every((name) => job.swapped.includes(name)) };
    if (!report.swapped || this.stopped) return report;
    watch.onBuilt?.();
    await this.retirements.settled();
    return report;
  }

  /**
   * Cancels the rebuilds of one projection or of `all`: their claims go and their unfinished
   * generations are dropped; a process still building one notices and stops writing. Returns
   * the projections whose rebuild was cancelled.
   */
  async cancelRebuild(target: string): Promise<string[]> {
    const cancelled: string[] = [];
    for (const projection of this.selectProjections(target)) {
      const claim = await this.claims.get(projection.name);
      if (!claim) continue;
      await this.claims.release(projection.name);
      if (claim.target && !sameGeneration(claim.target, this.liveGenerationOf(projection.name))) {
        await dropGeneration(this.cleanupDeps, projection, claim.target);
      }
      cancelled.push(projection.name);
    }
    return cancelled;
  }

  /** Resolves once the rebuilds running in this process have finished. */
  async rebuildsSettled(): Promise<void> {
    await this.coordinator.settled();
  }

  /** A page of the live generation's parked events, in log order after `after`. */
  async parkedEvents(name: string, page: { limit: number; after?: string }): Promise<ParkedEvent[]> {
    const projection = this.projectionNamed(name);
    return this.parked.list(projection.name, this.liveGenerationOf(name), page);
  }

  /** Re-applies the live generation's parked events here, or asks the worker to. */
  async retryParked(name: string): Promise<ParkedRetryAnswer> {
    const projection = this.projectionNamed(name);
    if (!this.options.run) {
      await this.registry.requestParkedRetry(name, new Date());
      return { done: false };
    }
    const runner = this.runners.get(name);
    if (!runner) throw new ProjectionNotWritableError(name, `version ${projection.version} is being built; retry after it is swapped in`);
    const result = await runner.exclusive(() => retryParkedEvents(this.parked, projection, runner.writer));
    this.options.logger?.info({ projection: name, ...result }, 'parked events retried');
    return { done: true, ...result };
  }

  /** Every projection's live generation, checkpoint, lag, state, parked count and rebuild. */
  async status(): Promise<ProjectionStatus[]> {
    const head = await this.events.headPosition();
    const entries = await this.registry.entries();
    const claims = new Map((await this.claims.all()).map((claim) => [claim.id, claim]));
    const statuses: ProjectionStatus[] = [];
    for (const projection of this.projections) {
      const name = projection.name;
      const entry = entries.get(name) ?? null;
      if (entry && !this.options.run) this.live.set(name, liveGeneration(entry));
      const generation = this.liveGenerationOf(name);
      const { position } = await this.checkpointOf(name);
      const lag = head === null ? 0 : Math.max(0, Number(head - (position ?? 0n)));
      const claim = claims.get(name) ?? null;
      const rebuild = this.rebuildStatus(claim);
      const runner = this.runners.get(name);
      const lastError = runner ? runner.lastError : (entry?.lastError ?? null);
      statuses.push({
        name,
        version: generation.version,
        generation: generationKey(generation),
        codeVersion: projection.version,
        checkpoint: position === null ? null : position.toString(),
        lag,
        status: projectionState({ lastError, stalled: lag > 0 && this.stalls.isStalled(name), rebuilding: rebuild !== null, rebuildStalled: this.rebuildStalled(claim), lag }),
        lastError,
        parked: await this.parked.count(name, generation),
        rebuild,
        lastRebuild: entry?.lastRebuild ?? null,
      });
    }
    for (const listener of this.statusListeners) listener(statuses);
    return statuses;
  }

  /** Called with every status() result: how the metrics gauges follow the projections. */
  onStatus(listener: (statuses: ProjectionStatus[]) => void): void {
    this.statusListeners.push(listener);
  }

  private selectProjections(target: string): Projection[] {
    return target === 'all' ? this.projections : [this.projectionNamed(target)];
  }

  private projectionNamed(name: string): Projection {
    const projection = this.byName.get(name);
    if (!projection) throw new UnknownProjectionError(name);
    return projection;
  }

  private projectionOwning(logical: string): Projection {
    const projection = this.projectionByCollection.get(logical);
    if (!projection) throw new Error(`no projection owns the read model '${logical}'`);
    return projection;
  }

  /** What the live generation has applied: the runner's position here, else its stored checkpoint. */
  private async appliedPosition(name: string): Promise<bigint | null> {
    const runner = this.runners.get(name);
    if (runner) return runner.position;
    return (await this.registry.checkpoint(name, this.liveGenerationOf(name)))?.position ?? null;
  }

  private async checkpointOf(name: string): Promise<{ position: bigint | null; movedAt: number }> {
    const runner = this.runners.get(name);
    if (runner) return { position: runner.position, movedAt: runner.lastMovedAt };
    const checkpoint = await this.registry.checkpoint(name, this.liveGenerationOf(name));
    return { position: checkpoint?.position ?? null, movedAt: checkpoint?.at.getTime() ?? 0 };
  }

  private rebuildStatus(claim: RebuildClaim | null): RebuildStatus | null {
    if (!claim) return null;
    const running = this.coordinator.runningTarget(claim.id);
    return {
      id: claim.rebuildId,
      reason: claim.reason,
      state: claim.status,
      targetGeneration: claim.target ? generationKey(claim.target) : null,
      owner: claim.owner,
      requestedAt: claim.requestedAt,
      startedAt: claim.startedAt,
      // This process's own rebuild is reported live; another's as of its last heartbeat.
      progress: running?.job.progress ?? claim.progress,
      lastError: running?.job.lastError ?? null,
    };
  }

  /** No process has built it for the stall period: requested and never picked up, or its owner stopped beating. */
  private rebuildStalled(claim: RebuildClaim | null): boolean {
    if (!claim || this.coordinator.runningTarget(claim.id)) return false;
    const lastSign = Date.parse(claim.heartbeatAt ?? claim.requestedAt);
    return Date.now() - lastSign > (this.options.stallAfterMs ?? 30_000);
  }

  private async startRunner(projection: Projection, generation: Generation): Promise<void> {
    const writer = new ProjectionWriter(this.readStore, this.registry, this.parked, projection, generation, this.policy, this.options.logger);
    const name = projection.name;
    const runner: ProjectionRunner = new ProjectionRunner(
      this.events,
      writer,
      {
        onProgress: (position) => {
          if (this.runners.get(name) === runner) this.waiters.get(name)!.release(position);
        },
        onError: (message) => {
          this.registry.recordError(name, message).catch(() => {});
        },
      },
      { logger: this.options.logger, ...this.options.runner },
    );
    this.runners.set(name, runner);
    await runner.start();
    if (runner.position !== null) this.waiters.get(name)!.release(runner.position);
  }

  /** The runner of a projection moves to the new live generation (when this process runs its code version). */
  private async switchRunner(projection: Projection, generation: Generation): Promise<void> {
    const current = this.runners.get(projection.name);
    if (current && sameGeneration(current.writer.generation, generation)) return;
    this.runners.delete(projection.name);
    await current?.stop();
    if (this.options.run && generation.version === projection.version && !this.stopped) await this.startRunner(projection, generation);
  }

  private async requestVersionRebuild(projection: Projection, live: Generation): Promise<void> {
    try {
      await this.coordinator.request([projection], 'version_changed');
      this.options.logger?.info({ projection: projection.name, live: generationKey(live), codeVersion: projection.version }, 'code version changed: rebuilding beside the live generation');
    } catch (error) {
      if (!(error instanceof RebuildConflictError)) throw error;
    }
  }

  /** A rebuild of this process swapped `target` in. */
  private async afterSwap(target: RebuildTarget): Promise<void> {
    this.live.set(target.projection.name, target.target);
    await this.switchRunner(target.projection, target.target);
    this.retirements.schedule(target.projection, target.from, Date.now());
  }

  /** Another process swapped: follow it, and drop the old generation once its grace is over. */
  private async followSwap(projection: Projection, entry: RegistryEntry): Promise<void> {
    const generation = liveGeneration(entry);
    this.live.set(projection.name, generation);
    this.options.logger?.info({ projection: projection.name, generation: generationKey(generation) }, 'following a swap to a new generation');
    await this.switchRunner(projection, generation);
    if (this.options.run && entry.retired) this.retirements.schedule(projection, entry.retired, Date.parse(entry.swappedAt ?? '') || Date.now());
  }

  /** At start: drop generations a crash left behind (neither live, nor being built, nor within their grace). */
  private async cleanUpGenerations(entries: Map<string, RegistryEntry>): Promise<void> {
    const claims = new Map((await this.claims.all()).map((claim) => [claim.id, claim]));
    for (const projection of this.projections) {
      const keep = [this.liveGenerationOf(projection.name)];
      const target = claims.get(projection.name)?.target;
      if (target) keep.push(target);
      const entry = entries.get(projection.name);
      if (entry?.retired) {
        keep.push(entry.retired);
        this.retirements.schedule(projection, entry.retired, Date.parse(entry.swappedAt ?? '') || Date.now());
      }
      const dropped = await dropOtherGenerations(this.cleanupDeps, projection, keep);
      if (dropped.length > 0) this.options.logger?.info({ projection: projection.name, dropped }, 'dropped generations left behind');
    }
  }

  /** Every second: follow swaps; where projections run, pick up requests and watch for stalls. */
  private tick(): Promise<void> {
    if (this.ticking || this.stopped) return this.ticking ?? Promise.resolve();
    this.ticking = this.pollOnce()
      .catch((error: unknown) => this.options.logger?.warn({ err: error }, `projection registry poll failed: ${errorMessage(error)}`))
      .finally(() => {
        this.ticking = null;
      });
    return this.ticking;
  }

  private async pollOnce(): Promise<void> {
    const entries = await this.registry.entries();
    for (const projection of this.projections) {
      const entry = entries.get(projection.name);
      if (this.stopped) return;
      if (entry && !sameGeneration(liveGeneration(entry), this.liveGenerationOf(projection.name))) await this.followSwap(projection, entry);
    }
    if (this.options.run && !this.stopped) {
      await this.coordinator.pickUp();
      for (const entry of entries.values()) {
        if (entry.parkedRetryRequestedAt === null || !this.byName.has(entry.id)) continue;
        await this.registry.requestParkedRetry(entry.id, null);
        await this.retryParked(entry.id).catch((error: unknown) => this.options.logger?.warn({ projection: entry.id, err: error }, 'requested parked retry failed'));
      }
    }
    await this.watchStalls();
  }

  private async watchStalls(): Promise<void> {
    const head = await this.events.headPosition();
    const versionRebuilds = new Set((await this.claims.all()).filter((claim) => claim.reason === 'version_changed').map((claim) => claim.id));
    for (const projection of this.projections) {
      // The old version's generation is frozen on purpose while the new one is built.
      if (versionRebuilds.has(projection.name)) continue;
      const { position, movedAt } = await this.checkpointOf(projection.name);
      const lag = head === null ? 0 : Math.max(0, Number(head - (position ?? 0n)));
      const verdict = this.stalls.observe(projection.name, lag, movedAt);
      if (!verdict.changed) continue;
      if (verdict.stalled) {
        this.options.logger?.warn({ projection: projection.name, lag, quietMs: verdict.sinceMs }, 'projection stalled: behind the head and its checkpoint has not moved');
      } else {
        this.options.logger?.info({ projection: projection.name }, 'projection moving again after a stall');
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
