import type { StoredEvent, Subscription } from '../eventstore/port.js';
import type { FeedBatch, FeedOptions } from './log-feed.js';

/** Compares below every position: what a processor that starts from the beginning has reached. */
export const BEFORE_START = -1n;
const DEFAULT_BATCH_SIZE = 500;
/** An empty read that still cannot join the live reader (it has read further): read again after this. */
const REJOIN_PAUSE_MS = 10;

export interface MemberLinks {
  /**
   * Joins the shared live reader when this member has reached what the reader has handed out;
   * false when it has not (it reads on). Rejects when the live reader cannot start.
   */
  join(member: FeedMember): Promise<boolean>;
  /** Events a member may have waiting before it is left to catch up on its own. */
  maxQueuedEvents: number;
  /** A page of the log strictly after `after`, for a member reading on its own. */
  readPage(after: bigint | null, maxCount: number): Promise<StoredEvent[]>;
}

/**
 * One processor's subscription to the shared log. It starts by reading the log on its own from
 * its position; near the head it joins the live reader, which then hands it each batch as it is
 * read. A member that falls behind (more than `maxQueuedEvents` waiting) drops its queue and
 * catches up on its own again, so a slow processor never holds the reader or the others back.
 * Either way it gets each event after its position exactly once, in log order.
 */
export class FeedMember implements Subscription {
  readonly done: Promise<void>;
  private attached = false;
  private stopped = false;
  /** How far the batches given to onBatch reach (the one running included). */
  private handed: bigint | null;
  /** How far the batches given or queued reach: the next event it takes is after this. */
  private reached: bigint | null;
  private queue: FeedBatch[] = [];
  private queuedEvents = 0;
  private wake: (() => void) | null = null;
  private readonly batchSize: number;

  constructor(
    private readonly options: FeedOptions,
    private readonly links: MemberLinks,
  ) {
    this.handed = this.reached = options.after;
    this.batchSize = Math.max(1, options.maxBatchSize ?? DEFAULT_BATCH_SIZE);
    this.done = this.run();
    // Whoever awaits `done` still sees a failure; nobody awaiting it must not crash the process.
    this.done.catch(() => {});
  }

  get isAttached(): boolean {
    return this.attached;
  }

  get position(): bigint {
    return this.reached ?? BEFORE_START;
  }

  /** Called by the live reader, synchronously after it checked the position. */
  attach(): void {
    if (!this.stopped) this.attached = true;
  }

  /** A batch the live reader read: the events after this member's position of its types. */
  offer(events: StoredEvent[], through: bigint): void {
    if (!this.attached) return;
    const after = this.reached;
    if (after !== null && through <= after) return;
    const mine = events.filter((event) => (after === null || event.position > after) && this.handles(event.type));
    this.reached = through;
    const last = this.queue.at(-1);
    // Waiting batches merge, so a member a little behind catches up in fewer, larger batches.
    if (last && last.events.length + mine.length <= this.batchSize) {
      last.events.push(...mine);
      last.through = through;
    } else {
      this.queue.push({ events: mine, through, live: true });
    }
    this.queuedEvents += mine.length;
    if (this.queuedEvents > this.links.maxQueuedEvents) this.detach();
    this.wake?.();
  }

  /** Leaves the live reader: what waits is dropped and read again from the log by this member. */
  detach(): void {
    this.attached = false;
    this.queue = [];
    this.queuedEvents = 0;
    this.reached = this.handed;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.attached = false;
    this.queue = [];
    this.wake?.();
    await this.done.catch(() => {});
  }

  private handles(type: string): boolean {
    return this.options.eventTypes === null || this.options.eventTypes.has(type);
  }

  private async run(): Promise<void> {
    // Let subscribe() return before the first batch is delivered.
    await Promise.resolve();
    while (!this.stopped) {
      if (!this.attached) {
        await this.catchUp();
        continue;
      }
      const batch = this.queue.shift();
      if (!batch) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      this.queuedEvents -= batch.events.length;
      await this.hand(batch);
    }
  }

  private async hand(batch: FeedBatch): Promise<void> {
    this.handed = batch.through;
    await this.options.onBatch(batch);
  }

  /** One page read on its own; near the head it tries to join the live reader. */
  private async catchUp(): Promise<void> {
    const page = await this.links.readPage(this.handed, this.batchSize);
    if (this.stopped) return;
    const last = page.at(-1);
    if (last) {
      this.reached = last.position;
      await this.hand({ events: page.filter((event) => this.handles(event.type)), through: last.position, live: page.length < this.batchSize });
    }
    if (page.length >= this.batchSize || this.stopped) return;
    if (await this.links.join(this)) return;
    if (page.length === 0) await sleep(REJOIN_PAUSE_MS);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
