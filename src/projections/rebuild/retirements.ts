import type { Logger } from 'pino';
import type { Projection } from '../projection.js';
import { generationKey, sameGeneration, type Generation } from '../projection-generation.js';
import { dropGeneration, type CleanupDeps } from './generation-cleanup.js';

/**
 * Generations swapped out, waiting to be dropped: each stays readable for `graceMs` after its
 * swap, for queries that resolved it just before (and for processes that follow the swap on
 * their next registry read). A process that stops first leaves them to the next start's clean-up.
 */
export class Retirements {
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; done: Promise<void> }>();

  constructor(
    private readonly deps: CleanupDeps & { logger?: Logger },
    private readonly graceMs: number,
    private readonly liveGeneration: (name: string) => Generation,
  ) {}

  schedule(projection: Projection, generation: Generation, swappedAt: number): void {
    const key = `${projection.name}@${generationKey(generation)}`;
    if (this.pending.has(key)) return;
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => {
      // Not unref'd: a process that swapped stays up to drop the old generation.
      timer = setTimeout(() => {
        void this.retire(projection, generation).finally(() => {
          this.pending.delete(key);
          resolve();
        });
      }, Math.max(0, swappedAt + this.graceMs - Date.now()));
    });
    this.pending.set(key, { timer: timer!, done });
  }

  /** Resolves once every scheduled generation has been dropped. */
  async settled(): Promise<void> {
    await Promise.all([...this.pending.values()].map((retirement) => retirement.done));
  }

  cancel(): void {
    for (const retirement of this.pending.values()) clearTimeout(retirement.timer);
    this.pending.clear();
  }

  private async retire(projection: Projection, generation: Generation): Promise<void> {
    if (sameGeneration(this.liveGeneration(projection.name), generation)) return;
    try {
      await dropGeneration(this.deps, projection, generation);
      await this.deps.registry.clearRetired(projection.name);
      this.deps.logger?.info({ projection: projection.name, generation: generationKey(generation) }, 'old generation dropped');
    } catch (error) {
      this.deps.logger?.warn({ projection: projection.name, err: error }, 'dropping the old generation failed; the next start cleans it up');
    }
  }
}
