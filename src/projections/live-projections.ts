import type { Logger } from 'pino';
import type { LogFeed } from '../consumer/log-feed.js';
import type { StoredEvent } from '../eventstore/port.js';
import { GroupedWrites } from './grouped-writes.js';
import type { ReadStore } from '../readstore/port.js';
import type { Projection } from './projection.js';
import { sameGeneration, type Generation } from './projection-generation.js';
import type { ProjectionRegistry } from './projection-registry.js';
import type { ParkedEvents } from './projection-parking.js';
import { ProjectionRunner, type RunnerOptions } from './projection-runner.js';
import { ProjectionWriter, type PoisonPolicy } from './projection-writer.js';
import { PositionWaiters } from './projection-waiters.js';

/** Documents each live projection keeps as it wrote them (see RecentDocuments). */
const RECENT_DOCUMENTS_PER_PROJECTION = 1_000;

export interface LiveProjectionsDeps {
  /** The process's one reader of the log. */
  feed: LogFeed;
  readStore: ReadStore;
  registry: ProjectionRegistry;
  parked: ParkedEvents;
  policy: PoisonPolicy;
  /** Run the live generations here; else only follow which generation is live. */
  run: boolean;
  runner?: RunnerOptions;
  logger?: Logger;
  /** True once the process is stopping: a swap finishing then starts no runner. */
  stopping(): boolean;
  /** Whether this process may run the projection now (it holds its lease). */
  runsHere(name: string): boolean;
  /** Throws when this process may no longer write the projection: checked before each write. */
  fence(name: string): void;
  /** Events a live runner here has just written to its read model. */
  onWritten(name: string, events: readonly StoredEvent[]): void;
}

/**
 * The live generation of each projection as this process knows it and, where projections run,
 * the runner keeping it up to date. Moving to another generation (a swap made here or followed
 * from another process) moves the runner with it; callers waiting for a position are released
 * by the runner of the live generation only.
 */
export class LiveProjections {
  private readonly live = new Map<string, Generation>();
  private readonly runners = new Map<string, ProjectionRunner>();
  private readonly waiters = new Map<string, PositionWaiters>();
  /** The runners' commits of one batch become one write. */
  private readonly writes: GroupedWrites;

  constructor(
    private readonly deps: LiveProjectionsDeps,
    projections: Projection[],
  ) {
    this.writes = new GroupedWrites(deps.readStore);
    for (const projection of projections) this.waiters.set(projection.name, new PositionWaiters());
  }

  /** The live generation; before the registry was read, the code version's first build. */
  generationOf(projection: Projection): Generation {
    return this.live.get(projection.name) ?? { version: projection.version, build: 0 };
  }

  /** Records the live generation without touching runners (read from the registry). */
  know(name: string, generation: Generation): void {
    this.live.set(name, generation);
  }

  runnerOf(name: string): ProjectionRunner | undefined {
    return this.runners.get(name);
  }

  /** What the live generation has applied: the runner's position here, else its stored checkpoint. */
  async appliedPosition(projection: Projection): Promise<bigint | null> {
    const runner = this.runners.get(projection.name);
    if (runner) return runner.position;
    return (await this.deps.registry.checkpoint(projection.name, this.generationOf(projection)))?.position ?? null;
  }

  /** The live generation's checkpoint and when it last moved. */
  async checkpointOf(projection: Projection): Promise<{ position: bigint | null; movedAt: number }> {
    const runner = this.runners.get(projection.name);
    if (runner) return { position: runner.position, movedAt: runner.lastMovedAt };
    const checkpoint = await this.deps.registry.checkpoint(projection.name, this.generationOf(projection));
    return { position: checkpoint?.position ?? null, movedAt: checkpoint?.at.getTime() ?? 0 };
  }

  /** Waits until the live generation has applied `position`; false on timeout. */
  async waitFor(projection: Projection, position: bigint, timeoutMs: number): Promise<boolean> {
    const name = projection.name;
    const frozen = this.runners.has(name) ? null : await this.appliedPosition(projection);
    return this.waiters.get(name)!.wait(position, timeoutMs, () => this.runners.get(name)?.position ?? frozen);
  }

  /** Starts the runner of the projection's live generation. */
  async startRunner(projection: Projection, generation: Generation): Promise<void> {
    const { deps } = this;
    const writer = new ProjectionWriter(deps.readStore, deps.registry, deps.parked, projection, generation, deps.policy, deps.logger, (writes) =>
      this.writes.write(writes),
    );
    const name = projection.name;
    writer.fenceWith(async () => deps.fence(name));
    writer.keepRecentDocuments(RECENT_DOCUMENTS_PER_PROJECTION);
    const runner: ProjectionRunner = new ProjectionRunner(
      deps.feed,
      writer,
      {
        onProgress: (position) => {
          if (this.runners.get(name) === runner) this.waiters.get(name)!.release(position);
        },
        onError: (message) => {
          deps.registry.recordError(name, message).catch(() => {});
        },
        onWritten: (events) => deps.onWritten(name, events),
      },
      { logger: deps.logger, ...deps.runner },
    );
    this.runners.set(name, runner);
    await runner.start();
    if (runner.position !== null) this.waiters.get(name)!.release(runner.position);
  }

  /** Makes `generation` live here; its runner replaces the old one when this process runs its code version. */
  async moveTo(projection: Projection, generation: Generation): Promise<void> {
    this.live.set(projection.name, generation);
    const current = this.runners.get(projection.name);
    if (current && sameGeneration(current.writer.generation, generation)) return;
    this.runners.delete(projection.name);
    await current?.stop();
    if (this.deps.run && this.deps.runsHere(projection.name) && generation.version === projection.version && !this.deps.stopping()) {
      await this.startRunner(projection, generation);
    }
  }

  /** Stops the projection's runner here (its lease went to another process). */
  async stopRunner(projection: Projection): Promise<void> {
    const runner = this.runners.get(projection.name);
    this.runners.delete(projection.name);
    await runner?.stop();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    this.runners.clear();
  }
}
