// A catch-up subscription to the log: reads pages after its checkpoint until there is nothing
// left, then waits for a commit in this process or for the next poll (another process may be
// writing the same file) and reads again. Catching up and staying live are the same loop, so
// an event can be neither skipped nor delivered twice: the checkpoint only moves past what
// onBatch has settled. A rejected onBatch ends the subscription: `done` rejects with its error
// and the caller resubscribes from its own checkpoint.
import type { StoredEvent, SubscribeOptions, Subscription } from '../port.js';

/** How often the log is re-read when no commit from this process woke the subscription. */
const POLL_INTERVAL_MS = 200;
/**
 * After a commit wakes a live subscription it waits this long before reading, so that under load
 * one read and one batch cover many commits instead of one each (the cost of a batch downstream
 * is mostly per batch, not per event). Small enough that read models stay well within a second.
 */
const COALESCE_MS = 10;
const DEFAULT_BATCH_SIZE = 1_000;

export interface LogSource {
  /** Events strictly after `after`, in position order, at most `maxCount`. */
  readPage(after: bigint | null, maxCount: number): StoredEvent[];
  /** Calls `listener` after each commit of this store; returns the way to stop listening. */
  onCommit(listener: () => void): () => void;
}

export class CatchUpSubscription implements Subscription {
  readonly done: Promise<void>;
  private stopped = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly source: LogSource,
    private readonly options: SubscribeOptions,
  ) {
    this.done = this.run();
    // Whoever awaits `done` still sees a failure; nobody awaiting it must not crash the process.
    this.done.catch(() => {});
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.done.catch(() => {});
  }

  private async run(): Promise<void> {
    // Let subscribeToAll return before the first batch is delivered.
    await Promise.resolve();
    const batchSize = Math.max(1, this.options.maxBatchSize ?? DEFAULT_BATCH_SIZE);
    const stopListening = this.source.onCommit(() => this.wake?.());
    let checkpoint = this.options.after;
    try {
      while (!this.stopped) {
        const page = this.source.readPage(checkpoint, batchSize);
        if (page.length === 0) {
          await this.nextCommitOrPoll();
          continue;
        }
        await this.options.onBatch(page);
        checkpoint = page[page.length - 1]!.position;
      }
    } finally {
      stopListening();
    }
  }

  private nextCommitOrPoll(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), POLL_INTERVAL_MS);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        if (this.stopped) resolve();
        else setTimeout(resolve, COALESCE_MS);
      };
    });
  }
}
