import type { Logger } from 'pino';
import type { EventStore, StoredEvent } from '../eventstore/port.js';
import type { LogFeed } from '../consumer/log-feed.js';
import { SharedLogReader } from '../consumer/shared-log-reader.js';
import type { ReadCollection, ReadStore } from '../readstore/port.js';
import type { Projection } from './projection.js';
import { generationCollection, generationKey, sameGeneration, type Generation } from './projection-generation.js';
import { liveGeneration, ProjectionRegistry, type RegistryEntry } from './projection-registry.js';
import type { RunnerOptions } from './projection-runner.js';
import { DEFAULT_POISON_POLICY, type PoisonPolicy } from './projection-writer.js';
import { ParkedEvents, type ParkedEvent } from './projection-parking.js';
import { retryParkedOf, type ParkedRetryAnswer } from './projection-parked-retry.js';
import { StallDetector } from './projection-stall.js';
import type { ProjectionStatus } from './projection-status.js';
import { projectionStatuses } from './projection-status-report.js';
import { LiveProjections } from './live-projections.js';
import { RegistryPoll } from './registry-poll.js';
import { RebuildClaims, isUnowned, ownerId, type RebuildClaim, type RebuildProgress } from './rebuild/rebuild-claims.js';
import { RebuildCoordinator } from './rebuild/rebuild-coordinator.js';
import type { RebuildTarget, RebuildTimings } from './rebuild/rebuild-job.js';
import { dropGeneration, dropOtherGenerations, type CleanupDeps } from './rebuild/generation-cleanup.js';
import { Retirements } from './rebuild/retirements.js';
import { RebuildConflictError, UnknownProjectionError } from './rebuild/rebuild-errors.js';
import { LeaseStore } from '../leases/lease-store.js';
import { projectionLease, type WorkLeases } from '../leases/work-leases.js';

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
  /**
   * With `run`, each projection runs only while this process holds its lease, so several
   * workers share them; without, every projection runs here.
   */
  leases?: WorkLeases;
  /** The process's one reader of the log, shared with its agents; without, the service makes its own. */
  feed?: LogFeed;
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

const OBSERVER_WAIT_POLL_MS = 50;

/**
 * The projections of one process: the facade the API, the worker and the CLI use. With `run`,
 * it runs them: a live runner per projection on its live generation (LiveProjections), rebuilds
 * (blue-green, resumable) and parked retries. Without, it answers queries from the live
 * generations and reads checkpoints written by a worker elsewhere; it records rebuild and retry
 * requests for that worker. Either way it polls the registry (RegistryPoll), so it follows swaps
 * made by any process.
 */
export class ProjectionService {
  readonly registry: ProjectionRegistry;
  readonly parked: ParkedEvents;
  private readonly claims: RebuildClaims;
  private readonly coordinator: RebuildCoordinator;
  private readonly live: LiveProjections;
  private readonly poll: RegistryPoll;
  private readonly byName = new Map<string, Projection>();
  /** The projection writing each logical collection. */
  private readonly projectionByCollection = new Map<string, Projection>();
  private readonly retirements: Retirements;
  private readonly stalls: StallDetector;
  private readonly statusListeners: Array<(statuses: ProjectionStatus[]) => void> = [];
  private readonly writtenListeners: Array<(projection: string, events: readonly StoredEvent[]) => void> = [];
  /** Names this process on the rebuild claims it takes. */
  private readonly claimOwner = ownerId();
  private readonly cleanupDeps: CleanupDeps;
  /** Read by every process, so the status says which worker holds each projection. */
  private readonly leaseStore: LeaseStore;
  private stopped = false;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    readonly projections: Projection[],
    private readonly options: ProjectionServiceOptions = { run: true },
  ) {
    this.registry = new ProjectionRegistry(readStore);
    this.leaseStore = new LeaseStore(readStore);
    this.parked = new ParkedEvents(readStore);
    this.claims = new RebuildClaims(readStore);
    this.cleanupDeps = { readStore, registry: this.registry, parked: this.parked };
    this.retirements = new Retirements({ ...this.cleanupDeps, logger: options.logger }, options.retireAfterMs ?? 5_000, (name) => this.liveGenerationOf(name));
    this.stalls = new StallDetector(options.stallAfterMs ?? 30_000);
    const policy: PoisonPolicy = {
      maxAttempts: options.runner?.maxAttempts ?? DEFAULT_POISON_POLICY.maxAttempts,
      retryDelayMs: options.runner?.retryDelayMs ?? DEFAULT_POISON_POLICY.retryDelayMs,
    };
    for (const projection of projections) {
      this.byName.set(projection.name, projection);
      for (const logical of Object.keys(projection.collections)) this.projectionByCollection.set(logical, projection);
    }
    this.live = new LiveProjections(
      {
        feed: options.feed ?? new SharedLogReader(events, { logger: options.logger }),
        readStore,
        registry: this.registry,
        parked: this.parked,
        policy,
        run: options.run,
        runner: options.runner,
        logger: options.logger,
        stopping: () => this.stopped,
        runsHere: (name) => this.runsHere(name),
        fence: (name) => options.leases?.assertHeld(projectionLease(name)),
        onWritten: (name, written) => {
          for (const listener of this.writtenListeners) listener(name, written);
        },
      },
      projections,
    );
    this.coordinator = new RebuildCoordinator({
      events,
      readStore,
      registry: this.registry,
      parked: this.parked,
      claims: this.claims,
      projections,
      owner: this.claimOwner,
      policy,
      batchSize: options.rebuild?.batchSize ?? 1_000,
      heartbeatMs: options.rebuild?.heartbeatMs ?? 1_000,
      staleAfterMs: options.rebuild?.staleAfterMs ?? 30_000,
      logger: options.logger,
      liveGeneration: (name) => this.liveGenerationOf(name),
      livePosition: (name) => this.live.appliedPosition(this.projectionNamed(name)),
      onSwapped: (target) => this.afterSwap(target),
    });
    this.poll = new RegistryPoll(
      {
        events,
        registry: this.registry,
        claims: this.claims,
        live: this.live,
        stalls: this.stalls,
        run: options.run,
        followSwap: (projection, entry) => this.followSwap(projection, entry),
        pickUpRebuilds: () => this.coordinator.pickUp(),
        retryParked: (name) => this.retryParked(name),
        runsHere: (name) => this.runsHere(name),
        logger: options.logger,
      },
      projections,
    );
  }

  async start(): Promise<void> {
    await this.parked.ensureIndexes();
    const entries = await this.registry.entries();
    for (const projection of this.projections) {
      const entry = entries.get(projection.name) ?? (await this.registry.ensure(projection.name, { version: projection.version, build: 0 }));
      this.live.know(projection.name, liveGeneration(entry));
    }
    if (this.options.run) {
      const { leases } = this.options;
      for (const projection of this.projections) {
        if (!leases) await this.runLive(projection);
        else leases.add({ name: projectionLease(projection.name), start: () => this.runLive(projection), stop: () => this.live.stopRunner(projection) });
      }
      await this.coordinator.pickUp();
      await this.cleanUpGenerations(entries);
    }
    this.poll.start(this.options.registryPollMs ?? 1_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.poll.stop();
    await this.coordinator.stop();
    await this.live.stop();
    // Generations waiting to be dropped are left to the next start's clean-up.
    this.retirements.cancel();
  }

  /** The live generation's collection for a logical read-model name, e.g. 'features'. */
  collection(logical: string): ReadCollection {
    const projection = this.projectionOwning(logical);
    return this.readStore.collection(generationCollection(logical, this.live.generationOf(projection)));
  }

  liveGenerationOf(name: string): Generation {
    return this.live.generationOf(this.projectionNamed(name));
  }

  /** Waits until the projection owning `logical` has applied `position`; false on timeout. */
  async waitFor(logical: string, position: bigint, timeoutMs: number): Promise<boolean> {
    const projection = this.projectionOwning(logical);
    if (this.options.run && this.runsHere(projection.name)) return this.live.waitFor(projection, position, timeoutMs);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Re-read the registry each time: a swap made by the worker must be followed at once.
      const entry = await this.registry.entry(projection.name);
      if (entry) this.live.know(projection.name, liveGeneration(entry));
      const reached = await this.live.appliedPosition(projection);
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
    return this.parked.list(projection.name, this.live.generationOf(projection), page);
  }

  /** Re-applies the live generation's parked events here, or asks the worker to. */
  retryParked(name: string): Promise<ParkedRetryAnswer> {
    const { registry, parked, live, options } = this;
    return retryParkedOf({ registry, parked, live, run: options.run && this.runsHere(name), logger: options.logger }, this.projectionNamed(name));
  }

  /** Every projection's live generation, checkpoint, lag, state, parked count and rebuild. */
  async status(): Promise<ProjectionStatus[]> {
    const { events, registry, claims, parked, coordinator, live, stalls, options } = this;
    const holders = await this.leaseStore.holders();
    const heldBy = (name: string) => holders.get(projectionLease(name)) ?? null;
    const deps = { events, registry, claims, parked, coordinator, live, stalls, heldBy, run: options.run, stallAfterMs: options.stallAfterMs ?? 30_000 };
    const statuses = await projectionStatuses(deps, this.projections);
    for (const listener of this.statusListeners) listener(statuses);
    return statuses;
  }

  /** Called with the events each live runner here has just written: how the delay histogram is fed. */
  onWritten(listener: (projection: string, events: readonly StoredEvent[]) => void): void {
    this.writtenListeners.push(listener);
  }

  /** Called with every status() result: how the metrics gauges follow the projections. */
  onStatus(listener: (statuses: ProjectionStatus[]) => void): void {
    this.statusListeners.push(listener);
  }

  /** Runs the live generation here, or has it rebuilt first when this code has another version. */
  private async runLive(projection: Projection): Promise<void> {
    const live = this.liveGenerationOf(projection.name);
    if (live.version === projection.version) await this.live.startRunner(projection, live);
    else await this.requestVersionRebuild(projection, live);
  }

  private runsHere(name: string): boolean {
    const { leases } = this.options;
    return !leases || leases.holds(projectionLease(name));
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
    await this.live.moveTo(target.projection, target.target);
    this.retirements.schedule(target.projection, target.from, Date.now());
  }

  /** Another process swapped: follow it, and drop the old generation once its grace is over. */
  private async followSwap(projection: Projection, entry: RegistryEntry): Promise<void> {
    const generation = liveGeneration(entry);
    this.options.logger?.info({ projection: projection.name, generation: generationKey(generation) }, 'following a swap to a new generation');
    await this.live.moveTo(projection, generation);
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
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
