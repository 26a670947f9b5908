import type { Logger } from 'pino';
import type { EventStore, StoredEvent, Subscription } from '../eventstore/port.js';
import { BEFORE_START, FeedMember } from './feed-member.js';
import type { FeedOptions, LogFeed } from './log-feed.js';

export interface SharedLogReaderOptions {
  /** Events per read of the live reader (default 1,000). */
  batchSize?: number;
  /** Events a processor may have waiting before it is left to catch up on its own (default 5,000). */
  maxQueuedEvents?: number;
  logger?: Logger;
}

/** Full pages kept for other members catching up: a few MB at 500 events a page. */
const KEPT_PAGES = 16;

interface LiveReader {
  subscription: Subscription | null;
  /** How far the reader has read and handed to every member joined to it; undefined until it knows the head. */
  delivered: bigint | undefined;
  started: Promise<void>;
}

/**
 * One reader of the log for every projection and agent of a process. A single live subscription
 * starts at the head; each event it reads is parsed once and handed to every processor that has
 * joined it, as the events of the types that processor declared. Processors behind the head
 * (starting, rebuilt, or too slow to keep up) read the log on their own until they reach what
 * the reader has handed out, then join it. The reader starts with the first processor and stops
 * with the last.
 */
export class SharedLogReader implements LogFeed {
  private readonly members = new Set<FeedMember>();
  private reader: LiveReader | null = null;
  /** Full pages read lately by members catching up, oldest first; and the reads under way. */
  private readonly pages = new Map<string, StoredEvent[]>();
  private readonly reading = new Map<string, Promise<StoredEvent[]>>();

  constructor(
    private readonly events: EventStore,
    private readonly options: SharedLogReaderOptions = {},
  ) {}

  subscribe(options: FeedOptions): Subscription {
    const member = new FeedMember(options, {
      join: (joining) => this.join(joining),
      maxQueuedEvents: this.options.maxQueuedEvents ?? 5_000,
      readPage: (after, maxCount) => this.readPage(after, maxCount),
    });
    this.members.add(member);
    const leave = () => {
      this.members.delete(member);
      if (this.members.size === 0) this.stopReader();
    };
    member.done.then(leave, leave);
    return member;
  }

  /** Processors joined to the live reader, and all of them (how tests see who shares it). */
  get counts(): { joined: number; processors: number } {
    let joined = 0;
    for (const member of this.members) if (member.isAttached) joined++;
    return { joined, processors: this.members.size };
  }

  async close(): Promise<void> {
    await Promise.all([...this.members].map((member) => member.stop()));
    this.stopReader();
  }

  /**
   * A page for a member reading on its own. Members that start together (every projection of a
   * fresh read store, say) read the same pages: a full page is kept for the next one, so the log
   * is read and parsed once for all of them. Only full pages: the log after a position only grows,
   * so a full page never changes, while a short one could have gained events since.
   */
  private async readPage(after: bigint | null, maxCount: number): Promise<StoredEvent[]> {
    const key = `${after ?? ''}:${maxCount}`;
    const kept = this.pages.get(key);
    if (kept) return kept;
    const reading = this.reading.get(key);
    if (reading) return reading;
    const read = this.events.readAll({ after, maxCount }).then((page) => {
      if (page.length < maxCount) return page;
      for (const event of page) freezeEvent(event);
      this.pages.set(key, page);
      for (const old of this.pages.keys()) {
        if (this.pages.size <= KEPT_PAGES) break;
        this.pages.delete(old);
      }
      return page;
    });
    this.reading.set(key, read);
    try {
      return await read;
    } finally {
      this.reading.delete(key);
    }
  }

  private async join(member: FeedMember): Promise<boolean> {
    const reader = (this.reader ??= this.startReader());
    await reader.started;
    // Synchronous from here: no batch can be handed out between the check and the join.
    if (this.reader !== reader || reader.delivered === undefined || member.position < reader.delivered) return false;
    member.attach();
    return true;
  }

  private startReader(): LiveReader {
    const reader: LiveReader = { subscription: null, delivered: undefined, started: Promise.resolve() };
    reader.started = (async () => {
      const head = await this.events.headPosition();
      if (this.reader !== reader) return;
      reader.delivered = head ?? BEFORE_START;
      const subscription = this.events.subscribeToAll({
        after: head,
        maxBatchSize: this.options.batchSize ?? 1_000,
        onBatch: async (batch) => this.handOut(reader, batch),
      });
      reader.subscription = subscription;
      subscription.done.then(
        () => undefined,
        (error: unknown) => this.readerFailed(reader, error),
      );
    })();
    reader.started.catch((error: unknown) => this.readerFailed(reader, error));
    return reader;
  }

  private handOut(reader: LiveReader, batch: StoredEvent[]): void {
    const last = batch.at(-1);
    if (this.reader !== reader || !last) return;
    // Every processor gets the same objects: frozen, so none can change what another sees.
    for (const event of batch) freezeEvent(event);
    reader.delivered = last.position;
    for (const member of this.members) member.offer(batch, last.position);
  }

  /** The members go on reading on their own; the next one near the head starts a new reader. */
  private readerFailed(reader: LiveReader, error: unknown): void {
    if (this.reader !== reader) return;
    this.reader = null;
    this.options.logger?.warn({ err: error }, 'the shared log reader failed; processors read on their own until it restarts');
    for (const member of this.members) if (member.isAttached) member.detach();
  }

  private stopReader(): void {
    const reader = this.reader;
    this.reader = null;
    void reader?.subscription?.stop();
  }
}

function freezeEvent(event: StoredEvent): void {
  deepFreeze(event.data);
  deepFreeze(event.metadata);
  Object.freeze(event);
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}
