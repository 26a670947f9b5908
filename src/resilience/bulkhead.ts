import { BulkheadRejectedError, bulkhead, type BulkheadPolicy } from 'cockatiel';
import { WorkRejectedError } from './errors.js';

/**
 * Bounds how much background work (agents, rebuilds) runs at once, so that live commands keep
 * their latency: at most `limit` tasks run, `queue` more wait, any further one is refused.
 */
export class WorkBulkhead {
  private readonly policy: BulkheadPolicy;

  constructor(
    readonly name: string,
    readonly limit: number,
    readonly queue: number,
  ) {
    this.policy = bulkhead(limit, queue);
  }

  get running(): number {
    return this.limit - this.policy.executionSlots;
  }

  get waiting(): number {
    return this.queue - this.policy.queueSlots;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(() => work());
    } catch (error) {
      if (error instanceof BulkheadRejectedError) throw new WorkRejectedError(this.name);
      throw error;
    }
  }
}

/** The bulkheads of one process: agents' reactions, and projection rebuilds. */
export function createWorkBulkheads(options: { agents?: number; rebuilds?: number; queue?: number } = {}) {
  const queue = options.queue ?? 1000;
  return {
    agents: new WorkBulkhead('agents', options.agents ?? 2, queue),
    rebuilds: new WorkBulkhead('rebuilds', options.rebuilds ?? 1, queue),
  };
}

export type WorkBulkheads = ReturnType<typeof createWorkBulkheads>;
