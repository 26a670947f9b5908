import type { Logger } from 'pino';
import type { EventStore, StoredEvent } from '../../eventstore/port.js';
import type { ReadStore } from '../../readstore/port.js';
import type { Projection } from '../projection.js';
import { generationKey, type Generation } from '../projection-generation.js';
import type { ProjectionRegistry, RebuildOutcome } from '../projection-registry.js';
import { errorMessage, type ParkedEvents } from '../projection-parking.js';
import { ProjectionWriter, type PoisonPolicy } from '../projection-writer.js';
import { LostClaimError, type RebuildClaims, type RebuildProgress, type RebuildReason } from './rebuild-claims.js';
import { rebuildProgress } from './rebuild-progress.js';
import { KnownDocuments } from './known-documents.js';

/** One projection to rebuild into `target` while `from` keeps serving queries. */
export interface RebuildTarget {
  projection: Projection;
  rebuildId: string;
  reason: RebuildReason;
  from: Generation;
  target: Generation;
}

export interface RebuildJobDeps {
  events: EventStore;
  readStore: ReadStore;
  registry: ProjectionRegistry;
  parked: ParkedEvents;
  claims: RebuildClaims;
  /** This process, as recorded in the claims it owns. */
  owner: string;
  policy: PoisonPolicy;
  /** Events per read of the log; each projection writes each batch in one bulk per collection. */
  batchSize: number;
  heartbeatMs: number;
  logger?: Logger;
  /** What the live generation has applied: the swap waits until the new one has too. */
  livePosition(name: string): Promise<bigint | null>;
  /** Called once the registry names the new generation. */
  onSwapped(target: RebuildTarget, outcome: RebuildOutcome): Promise<void>;
}

/** A projection this job is building: its new generation's writer and how far it got. */
interface ProjectionInBuild {
  target: RebuildTarget;
  writer: ProjectionWriter;
  indexed: boolean;
  pagesSinceCommit: number;
}

/**
 * Documents the projections of a job may hold between commits. Writing a projection once per
 * several pages rather than each page writes each hot document (an environment with its
 * release history, a build) once instead of many times; the budget keeps memory flat.
 */
const HELD_DOCUMENTS_BUDGET = 5_000;
/** Bounds what a crash makes the rebuild do again, and how stale a checkpoint gets. */
const MAX_PAGES_BETWEEN_COMMITS = 40;

/** Where a rebuild's time went, in milliseconds: what the benchmark prints. */
export interface RebuildTimings {
  waitingForLog: number;
  indexing: number;
  /** Applying and writing batches, per projection. */
  projections: Record<string, number>;
}

const RETRY_AFTER_FAILURE_MS = 1000;
const SWAP_RECHECK_MS = 20;

/**
 * Blue-green rebuild of one or more projections with a single reader of the log: every page
 * read from the start of the log goes through each projection's writer into its new
 * generation. Secondary indexes are built once the data is in (cheaper than maintaining them
 * row by row). Once caught up with the head and with the live generation, each projection is
 * swapped in by one registry update. Until then nothing a query reads changes; a crash leaves
 * the claim and the new generation's checkpoint behind, and the rebuild resumes from there.
 */
export class RebuildJob {
  private stopped = false;
  private running: Promise<void> | null = null;
  /** Projections not swapped in yet and still this job's to build. */
  private building: ProjectionInBuild[];
  private current: RebuildProgress | null = null;
  private _lastError: string | null = null;
  readonly timings: RebuildTimings = { waitingForLog: 0, indexing: 0, projections: {} };
  /** Projections swapped in by this job. */
  readonly swapped: string[] = [];
  /** Projections this job stopped building: taken over by another process, or cancelled. */
  readonly handedOver: string[] = [];

  constructor(
    private readonly deps: RebuildJobDeps,
    targets: RebuildTarget[],
  ) {
    this.building = targets.map((target) => {
      const writer = new ProjectionWriter(deps.readStore, deps.registry, deps.parked, target.projection, target.target, deps.policy, deps.logger);
      writer.fenceWith(() => deps.claims.assertOwned(target.projection.name, deps.owner));
      return { target, writer, indexed: false, pagesSinceCommit: 0 };
    });
  }

  /** Settles when every projection was swapped in (or dropped out), or after stop(). */
  run(): Promise<void> {
    this.running ??= this.loop();
    return this.running;
  }

  /** Stops after the current batch; unfinished rebuilds are handed back for resumption. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => {});
  }

  get projections(): string[] {
    return this.building.map((member) => member.target.projection.name);
  }

  get progress(): RebuildProgress | null {
    return this.current;
  }

  get lastError(): string | null {
    return this._lastError;
  }

  targetOf(name: string): RebuildTarget | null {
    return this.building.find((member) => member.target.projection.name === name)?.target ?? null;
  }

  private async loop(): Promise<void> {
    const startedAt = Date.now();
    let processed = 0;
    let phase: RebuildProgress['phase'] = 'building';
    const prepared = await this.prepareOrStop();
    if (prepared === 'stopped') return;
    let after = prepared;
    const startPosition = after;
    let head = await this.deps.events.headPosition();
    this.current = rebuildProgress({ startPosition, position: after, head, processed, elapsedMs: 0, phase });
    let lastBeat = 0;
    let next = this.read(after);

    while (!this.stopped && this.building.length > 0) {
      try {
        const waitStarted = performance.now();
        const page = await next;
        this.timings.waitingForLog += performance.now() - waitStarted;
        if (page.length > 0) {
          after = page[page.length - 1]!.position;
          next = this.read(after);
          phase = 'building';
          // The embedded stores answer synchronously: let requests and timers in between pages.
          await yieldToEventLoop();
          for (const member of [...this.building]) {
            const started = performance.now();
            if (await this.applyOrLeave(member, page)) member.pagesSinceCommit++;
            this.timeSpent(member, started);
          }
          await this.commitOverBudget();
          processed += page.length;
        } else {
          head = after;
          for (const member of [...this.building]) await this.commitOrLeave(member);
          phase = this.building.some((member) => !member.indexed) ? 'indexing' : 'swapping';
          this.current = rebuildProgress({ startPosition, position: after, head, processed, elapsedMs: Date.now() - startedAt, phase });
          if (phase === 'indexing') await this.buildIndexes(this.current);
          else await this.swapThoseCaughtUp();
          if (this.building.length > 0) {
            if (phase === 'swapping') await sleep(SWAP_RECHECK_MS);
            next = this.read(after);
          }
        }
        this._lastError = null;
        if (Date.now() - lastBeat >= this.deps.heartbeatMs) {
          head = (await this.deps.events.headPosition()) ?? head;
          this.current = rebuildProgress({ startPosition, position: after, head, processed, elapsedMs: Date.now() - startedAt, phase });
          await this.heartbeat(this.current);
          lastBeat = Date.now();
        }
      } catch (error) {
        // A backend failed: go on from the stored checkpoints after a pause.
        this._lastError = errorMessage(error);
        this.deps.logger?.warn({ projections: this.projections, err: error }, 'rebuild batch failed; resuming from its checkpoint');
        await sleep(RETRY_AFTER_FAILURE_MS);
        if (this.stopped) break;
        after = await this.loadCheckpoints().catch(() => after);
        next = this.read(after);
      }
    }
    if (this.stopped) {
      for (const member of [...this.building]) {
        // Keep what was built so far: the rebuild resumes from here.
        await this.commitOrLeave(member).catch(() => {});
        await this.deps.claims.letGo(member.target.projection.name, this.deps.owner).catch(() => {});
      }
    }
  }

  /** Prepares, retrying after backend failures; 'stopped' when stopped meanwhile. */
  private async prepareOrStop(): Promise<bigint | null | 'stopped'> {
    for (;;) {
      try {
        return await this.prepare();
      } catch (error) {
        this._lastError = errorMessage(error);
        this.deps.logger?.warn({ projections: this.projections, err: error }, 'rebuild could not start; retrying');
        await sleep(RETRY_AFTER_FAILURE_MS);
        if (this.stopped) return 'stopped';
      }
    }
  }

  /**
   * A projection with no checkpoint yet starts from empty collections (whatever an earlier
   * attempt left is dropped), which lets it skip reading documents it has never written.
   */
  private async prepare(): Promise<bigint | null> {
    // One filter for all: logical collection names are unique across projections.
    const known = KnownDocuments.forRebuild();
    for (const member of this.building) {
      if ((await member.writer.load()) === null) await member.writer.startEmpty(known);
      await member.writer.ensureCollections();
    }
    return this.loadCheckpoints();
  }

  /** False when the rebuild was taken over or cancelled meanwhile: then this job leaves it alone. */
  private async applyOrLeave(member: ProjectionInBuild, page: StoredEvent[]): Promise<boolean> {
    try {
      await member.writer.apply(page);
      return true;
    } catch (error) {
      if (!(error instanceof LostClaimError)) throw error;
      this.leave(member);
      return false;
    }
  }

  private async commitOrLeave(member: ProjectionInBuild): Promise<void> {
    const started = performance.now();
    try {
      await member.writer.commit();
      member.pagesSinceCommit = 0;
    } catch (error) {
      if (!(error instanceof LostClaimError)) throw error;
      this.leave(member);
    } finally {
      this.timeSpent(member, started);
    }
  }

  /** Writes the projections holding the most documents until under budget, and any held too long. */
  private async commitOverBudget(): Promise<void> {
    let held = this.building.reduce((sum, member) => sum + member.writer.heldDocuments, 0);
    const largestFirst = [...this.building].sort((a, b) => b.writer.heldDocuments - a.writer.heldDocuments);
    for (const member of largestFirst) {
      if (held <= HELD_DOCUMENTS_BUDGET && member.pagesSinceCommit < MAX_PAGES_BETWEEN_COMMITS) continue;
      held -= member.writer.heldDocuments;
      await this.commitOrLeave(member);
    }
  }

  private timeSpent(member: ProjectionInBuild, since: number): void {
    const name = member.target.projection.name;
    this.timings.projections[name] = (this.timings.projections[name] ?? 0) + performance.now() - since;
  }

  private leave(member: ProjectionInBuild): void {
    this.handedOver.push(member.target.projection.name);
    this.deps.logger?.warn({ projection: member.target.projection.name }, 'rebuild no longer owned by this process (cancelled or taken over); leaving it');
    this.building = this.building.filter((other) => other !== member);
  }

  /** The next page; a page read ahead and then abandoned must not become an unhandled rejection. */
  private read(after: bigint | null): Promise<StoredEvent[]> {
    const page = this.deps.events.readAll({ after, maxCount: this.deps.batchSize });
    page.catch(() => {});
    return page;
  }

  /** Where the shared reader starts: the furthest-behind checkpoint (the others skip what they have). */
  private async loadCheckpoints(): Promise<bigint | null> {
    let earliest: bigint | null | undefined;
    for (const member of this.building) {
      const checkpoint = await member.writer.load();
      if (earliest === undefined || checkpoint === null || (earliest !== null && checkpoint < earliest)) earliest = checkpoint;
    }
    return earliest ?? null;
  }

  /** One index at a time with a heartbeat in between: building one can block the process for seconds. */
  private async buildIndexes(progress: RebuildProgress): Promise<void> {
    for (const member of [...this.building]) {
      if (member.indexed || this.stopped) continue;
      const started = performance.now();
      await member.writer.ensureIndexes(() => this.heartbeat(progress));
      member.indexed = true;
      this.timings.indexing += performance.now() - started;
    }
  }

  private async swapThoseCaughtUp(): Promise<void> {
    const head = await this.deps.events.headPosition();
    for (const member of [...this.building]) {
      if (this.stopped) return;
      const { projection } = member.target;
      const live = await this.deps.livePosition(projection.name);
      // A live checkpoint beyond the head belongs to another log (a restored read store): ignore it.
      const needed = live !== null && head !== null && live > head ? head : live;
      const built = member.writer.checkpoint;
      if (needed !== null && (built === null || built < needed)) continue;
      try {
        await this.deps.claims.assertOwned(projection.name, this.deps.owner);
      } catch (error) {
        if (!(error instanceof LostClaimError)) throw error;
        this.leave(member);
        continue;
      }
      await this.swap(member);
    }
  }

  private async swap(member: ProjectionInBuild): Promise<void> {
    const { target } = member;
    const name = target.projection.name;
    const progress = this.current;
    const outcome: RebuildOutcome = {
      id: target.rebuildId,
      generation: generationKey(target.target),
      status: 'swapped',
      finishedAt: new Date().toISOString(),
      events: progress?.processed ?? 0,
      seconds: progress && progress.eventsPerSecond > 0 ? Math.round((progress.processed / progress.eventsPerSecond) * 10) / 10 : 0,
      eventsPerSecond: progress?.eventsPerSecond ?? 0,
    };
    await this.deps.registry.swap(name, target.from, target.target, outcome);
    await this.deps.claims.release(name);
    this.building = this.building.filter((other) => other !== member);
    this.swapped.push(name);
    this.deps.logger?.info(
      { projection: name, from: generationKey(target.from), to: outcome.generation, events: outcome.events, eventsPerSecond: outcome.eventsPerSecond },
      'projection rebuilt and swapped in',
    );
    await this.deps.onSwapped(target, outcome);
  }

  /** Records progress; drops out of rebuilds that were cancelled or taken over meanwhile. */
  private async heartbeat(progress: RebuildProgress): Promise<void> {
    for (const member of [...this.building]) {
      const name = member.target.projection.name;
      if (!(await this.deps.claims.heartbeat(name, this.deps.owner, progress))) this.leave(member);
    }
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
