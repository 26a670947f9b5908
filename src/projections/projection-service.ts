import type { Logger } from 'pino';
import type { EventStore } from '../eventstore/port.js';
import type { ReadCollection, ReadStore } from '../readstore/port.js';
import { physicalCollection, type Projection } from './projection.js';
import { ProjectionRegistry } from './projection-registry.js';
import { ProjectionRunner, type RunnerOptions } from './projection-runner.js';

export interface ProjectionStatus {
  name: string;
  version: number;
  checkpoint: string | null;
  lag: number;
  status: string;
  lastError: string | null;
}

/**
 * The projections of one process. With `run`, it runs them (the worker, or the single embedded
 * process); without, it only answers queries and reads checkpoints written by a worker elsewhere.
 */
export class ProjectionService {
  readonly registry: ProjectionRegistry;
  private readonly runners = new Map<string, ProjectionRunner>();
  private readonly owners = new Map<string, Projection>();
  private readonly liveVersions = new Map<string, number>();

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    readonly projections: Projection[],
    private readonly options: { run: boolean; logger?: Logger; runner?: RunnerOptions } = { run: true },
  ) {
    this.registry = new ProjectionRegistry(readStore);
    for (const projection of projections) {
      for (const logical of Object.keys(projection.collections)) this.owners.set(logical, projection);
    }
  }

  async start(): Promise<void> {
    for (const projection of this.projections) {
      const version = await this.registry.liveVersion(projection);
      this.liveVersions.set(projection.name, version);
      if (!this.options.run) continue;
      const runner = new ProjectionRunner(this.events, this.readStore, this.registry, projection, version, {
        logger: this.options.logger,
        ...this.options.runner,
      });
      this.runners.set(projection.name, runner);
      await runner.start();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
  }

  /** The live version's collection for a logical read-model name, e.g. 'features'. */
  collection(logical: string): ReadCollection {
    const projection = this.ownerOf(logical);
    const version = this.liveVersions.get(projection.name) ?? projection.version;
    return this.readStore.collection(physicalCollection(logical, version));
  }

  /** Waits until the projection owning `logical` has applied `position`; false on timeout. */
  async waitFor(logical: string, position: bigint, timeoutMs: number): Promise<boolean> {
    const projection = this.ownerOf(logical);
    const runner = this.runners.get(projection.name);
    if (runner) return runner.waitFor(position, timeoutMs);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const version = this.liveVersions.get(projection.name) ?? projection.version;
      const checkpoint = await this.registry.checkpoint(projection.name, version);
      if (checkpoint !== null && checkpoint >= position) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Waits until every projection has applied `position`. */
  async waitForAll(position: bigint, timeoutMs: number): Promise<boolean> {
    const results = await Promise.all(
      this.projections.map((projection) => this.waitFor(Object.keys(projection.collections)[0]!, position, timeoutMs)),
    );
    return results.every(Boolean);
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.events.headPosition();
    const statuses: ProjectionStatus[] = [];
    for (const projection of this.projections) {
      const version = this.liveVersions.get(projection.name) ?? projection.version;
      const runner = this.runners.get(projection.name);
      const checkpoint = runner?.position ?? (await this.registry.checkpoint(projection.name, version));
      // Lag in log positions; the embedded store's positions are gapless, so this counts events.
      const lag = head === null ? 0 : Number(head - (checkpoint ?? 0n));
      statuses.push({
        name: projection.name,
        version,
        checkpoint: checkpoint === null ? null : checkpoint.toString(),
        lag: Math.max(0, lag),
        status: runner ? (lag <= 0 ? 'live' : runner.status) : 'observed',
        lastError: runner?.lastError ?? null,
      });
    }
    return statuses;
  }

  private ownerOf(logical: string): Projection {
    const projection = this.owners.get(logical);
    if (!projection) throw new Error(`no projection owns the read model '${logical}'`);
    return projection;
  }
}
