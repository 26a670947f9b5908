import type { Logger } from 'pino';
import type { EventStore } from '../eventstore/port.js';
import type { Projection } from './projection.js';
import { sameGeneration } from './projection-generation.js';
import { liveGeneration, type ProjectionRegistry, type RegistryEntry } from './projection-registry.js';
import { errorMessage } from './projection-parking.js';
import type { StallDetector } from './projection-stall.js';
import type { LiveProjections } from './live-projections.js';
import type { RebuildClaims } from './rebuild/rebuild-claims.js';

export interface RegistryPollDeps {
  events: EventStore;
  registry: ProjectionRegistry;
  claims: RebuildClaims;
  live: LiveProjections;
  stalls: StallDetector;
  /** Projections run here: also pick up rebuild and parked-retry requests. */
  run: boolean;
  /** Another process swapped a projection: follow it. */
  followSwap(projection: Projection, entry: RegistryEntry): Promise<void>;
  pickUpRebuilds(): Promise<unknown>;
  retryParked(name: string): Promise<unknown>;
  /** The projection's lease is held here: its parked-retry requests are this process's to run. */
  runsHere(name: string): boolean;
  logger?: Logger;
}

/**
 * Re-reads the registry periodically, so every process follows swaps made by any process; where
 * projections run, it also picks up requests recorded by other processes (rebuilds, parked
 * retries) and watches for stalled projections. One poll at a time.
 */
export class RegistryPoll {
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly deps: RegistryPollDeps,
    private readonly projections: Projection[],
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  /** Resolves once a poll under way has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.polling;
  }

  private tick(): Promise<void> {
    if (this.polling || this.stopped) return this.polling ?? Promise.resolve();
    this.polling = this.pollOnce()
      .catch((error: unknown) => this.deps.logger?.warn({ err: error }, `projection registry poll failed: ${errorMessage(error)}`))
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    const { deps } = this;
    const entries = await deps.registry.entries();
    for (const projection of this.projections) {
      const entry = entries.get(projection.name);
      if (this.stopped) return;
      if (entry && !sameGeneration(liveGeneration(entry), deps.live.generationOf(projection))) await deps.followSwap(projection, entry);
    }
    if (deps.run && !this.stopped) {
      await deps.pickUpRebuilds();
      const known = new Set(this.projections.map((projection) => projection.name));
      for (const entry of entries.values()) {
        if (entry.parkedRetryRequestedAt === null || !known.has(entry.id) || !deps.runsHere(entry.id)) continue;
        await deps.registry.requestParkedRetry(entry.id, null);
        await deps.retryParked(entry.id).catch((error: unknown) => deps.logger?.warn({ projection: entry.id, err: error }, 'requested parked retry failed'));
      }
    }
    await this.watchStalls();
  }

  private async watchStalls(): Promise<void> {
    const { deps } = this;
    const head = await deps.events.headPosition();
    const versionRebuilds = new Set((await deps.claims.all()).filter((claim) => claim.reason === 'version_changed').map((claim) => claim.id));
    for (const projection of this.projections) {
      // The old version's generation is frozen on purpose while the new one is built.
      if (versionRebuilds.has(projection.name)) continue;
      const { position, movedAt } = await deps.live.checkpointOf(projection);
      const lag = head === null ? 0 : Math.max(0, Number(head - (position ?? 0n)));
      const verdict = deps.stalls.observe(projection.name, lag, movedAt);
      if (!verdict.changed) continue;
      if (verdict.stalled) {
        deps.logger?.warn({ projection: projection.name, lag, quietMs: verdict.sinceMs }, 'projection stalled: behind the head and its checkpoint has not moved');
      } else {
        deps.logger?.info({ projection: projection.name }, 'projection moving again after a stall');
      }
    }
  }
}
