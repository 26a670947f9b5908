import type { Logger } from 'pino';
import type { StoredEvent, Subscription } from '../eventstore/port.js';
import type { FeedBatch, LogFeed } from '../consumer/log-feed.js';
import { generationKey } from './projection-generation.js';
import { errorMessage } from './projection-parking.js';
import type { ProjectionWriter } from './projection-writer.js';

export { PARKED } from './projection-parking.js';

export type RunnerStatus = 'starting' | 'catching_up' | 'live' | 'error' | 'stopped';

export interface RunnerOptions {
  /** Attempts per event before it is parked. */
  maxAttempts?: number;
  retryDelayMs?: number;
  batchSize?: number;
  logger?: Logger;
}

export interface RunnerHooks {
  /** After each batch's checkpoint is saved. */
  onProgress(position: bigint): void;
  /** The subscription failed (message) or recovered (null). */
  onError(message: string | null): void;
  /** After a batch is written: the events of it that the projection handled, now in its read model. */
  onWritten?(events: readonly StoredEvent[]): void;
}

const DEFAULT_BATCH_SIZE = 500;
const RESUBSCRIBE_DELAY_MS = 1000;

/**
 * Keeps the live generation of one projection up to date: a checkpointed subscription to the
 * process's shared log reader, for the event types the projection handles, feeding a
 * ProjectionWriter. Each batch's documents are written with or before its checkpoint and
 * documents remember the last position applied to them, so a crash anywhere replays harmlessly. Batches and other writes to the generation (parked retries) take turns.
 */
export class ProjectionRunner {
  private subscription: Subscription | null = null;
  private stopped = false;
  private turn: Promise<unknown> = Promise.resolve();
  private _status: RunnerStatus = 'starting';
  private _lastError: string | null = null;
  private _processed = 0;
  private _lastMovedAt = Date.now();

  constructor(
    private readonly feed: LogFeed,
    readonly writer: ProjectionWriter,
    private readonly hooks: RunnerHooks,
    private readonly options: RunnerOptions = {},
  ) {}

  get status(): RunnerStatus {
    return this._status;
  }
  get position(): bigint | null {
    return this.writer.checkpoint;
  }
  get lastError(): string | null {
    return this._lastError;
  }
  get processed(): number {
    return this._processed;
  }
  /** When the checkpoint last moved (or the runner started). */
  get lastMovedAt(): number {
    return this._lastMovedAt;
  }

  async start(): Promise<void> {
    await this.writer.ensureIndexes();
    await this.writer.load();
    this._lastMovedAt = Date.now();
    this.subscribe();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this._status = 'stopped';
    await this.subscription?.stop();
    await this.turn.catch(() => {});
  }

  /** Runs `work` between batches, so it never interleaves with the subscription's writes. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.turn.then(work, work);
    this.turn = result.catch(() => {});
    return result;
  }

  private subscribe(): void {
    if (this.stopped) return;
    this._status = 'catching_up';
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    const { canHandle } = this.writer.projection;
    const subscription = this.feed.subscribe({
      after: this.writer.checkpoint,
      eventTypes: canHandle ? new Set(canHandle) : null,
      maxBatchSize: batchSize,
      onBatch: (batch) => this.exclusive(() => this.applyBatch(batch)),
    });
    this.subscription = subscription;
    subscription.done.then(
      () => undefined,
      (error: unknown) => {
        // The event store or the read store failed: resume from the last checkpoint after a pause.
        if (this.stopped) return;
        this._status = 'error';
        this._lastError = errorMessage(error);
        this.hooks.onError(this._lastError);
        this.options.logger?.warn(
          { projection: this.writer.name, generation: generationKey(this.writer.generation), err: error },
          'projection subscription failed; resuming from its checkpoint',
        );
        setTimeout(() => this.subscribe(), RESUBSCRIBE_DELAY_MS).unref();
      },
    );
  }

  private async applyBatch(batch: FeedBatch): Promise<void> {
    if (this.stopped) return;
    await this.writer.applyBatch(batch.events, batch.through);
    if (batch.events.length > 0) this.hooks.onWritten?.(batch.events);
    this._processed += batch.events.length;
    this._lastMovedAt = Date.now();
    this._status = batch.live ? 'live' : 'catching_up';
    if (this._lastError !== null) {
      this._lastError = null;
      this.hooks.onError(null);
    }
    this.hooks.onProgress(this.writer.checkpoint!);
    // Catching up on the embedded stores never waits for I/O: let requests in between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
