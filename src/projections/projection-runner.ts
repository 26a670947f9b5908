import type { Logger } from 'pino';
import type { EventStore, StoredEvent, Subscription } from '../eventstore/port.js';
import type { ReadStore } from '../readstore/port.js';
import { positionKey } from '../commands/positions.js';
import { physicalCollection, type Projection } from './projection.js';
import type { ProjectionRegistry } from './projection-registry.js';
import { UnitOfWork } from './unit-of-work.js';

export const PARKED = '_parked';

export type RunnerStatus = 'starting' | 'catching_up' | 'live' | 'error' | 'stopped';

export interface RunnerOptions {
  /** Attempts per event before it is parked. */
  maxAttempts?: number;
  retryDelayMs?: number;
  batchSize?: number;
  logger?: Logger;
}

/**
 * Runs one version of one projection: a checkpointed catch-up subscription to the global log.
 * Each batch's documents are written before its checkpoint, and documents remember the last
 * position applied to them, so a crash anywhere replays harmlessly. An event whose handler
 * keeps failing is parked and the projection goes on.
 */
export class ProjectionRunner {
  private subscription: Subscription | null = null;
  private stopped = false;
  private waiters: Array<{ position: bigint; resolve: () => void }> = [];
  private _status: RunnerStatus = 'starting';
  private _position: bigint | null = null;
  private _lastError: string | null = null;
  private _processed = 0;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly registry: ProjectionRegistry,
    readonly projection: Projection,
    readonly version: number,
    private readonly options: RunnerOptions = {},
  ) {}

  get status(): RunnerStatus {
    return this._status;
  }
  get position(): bigint | null {
    return this._position;
  }
  get lastError(): string | null {
    return this._lastError;
  }
  get processed(): number {
    return this._processed;
  }

  async start(): Promise<void> {
    for (const [logical, indexes] of Object.entries(this.projection.collections)) {
      await this.readStore.ensureIndexes(this.collection(logical), indexes);
    }
    await this.readStore.ensureIndexes(PARKED, [{ fields: [['projection', 1], ['position', 1]] }]);
    this._position = await this.registry.checkpoint(this.projection.name, this.version);
    this.subscribe();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this._status = 'stopped';
    await this.subscription?.stop();
  }

  /** Resolves true once the projection has applied everything up to `position`. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this._position !== null && this._position >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { position, resolve: () => resolve(true) };
      this.waiters.push(waiter);
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs).unref();
    });
  }

  collection(logical: string): string {
    return physicalCollection(logical, this.version);
  }

  private subscribe(): void {
    if (this.stopped) return;
    this._status = 'catching_up';
    const subscription = this.events.subscribeToAll({
      after: this._position,
      maxBatchSize: this.options.batchSize ?? 500,
      onBatch: (batch) => this.applyBatch(batch),
    });
    this.subscription = subscription;
    subscription.done.then(
      () => undefined,
      (error: unknown) => {
        // The store or the read store failed: resume from the last checkpoint after a pause.
        if (this.stopped) return;
        this._status = 'error';
        this._lastError = error instanceof Error ? error.message : String(error);
        this.options.logger?.warn({ projection: this.projection.name, err: error }, 'projection subscription failed; resuming');
        setTimeout(() => this.subscribe(), 1000).unref();
      },
    );
  }

  private async applyBatch(batch: StoredEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const unit = new UnitOfWork(this.readStore, (logical) => this.collection(logical));
    for (const event of batch) await this.applyOne(unit, event);
    await unit.flush();
    const last = batch[batch.length - 1]!.position;
    await this.registry.saveCheckpoint(this.projection.name, this.version, last);
    this._position = last;
    this._processed += batch.length;
    this._status = batch.length < (this.options.batchSize ?? 500) ? 'live' : 'catching_up';
    this._lastError = null;
    this.releaseWaiters();
  }

  private async applyOne(unit: UnitOfWork, event: StoredEvent): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.projection.apply(event, unit.contextFor(event));
        return;
      } catch (error) {
        if (attempt >= maxAttempts) {
          await this.park(event, error);
          return;
        }
        await sleep((this.options.retryDelayMs ?? 20) * 2 ** (attempt - 1));
      }
    }
  }

  private async park(event: StoredEvent, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.options.logger?.error({ projection: this.projection.name, position: event.position.toString(), err: error }, 'event parked');
    await this.readStore.collection(PARKED).put({
      id: `${this.projection.name}:${positionKey(event.position)}`,
      projection: this.projection.name,
      position: positionKey(event.position),
      streamName: event.streamName,
      revision: event.revision,
      type: event.type,
      error: message,
      parkedAt: new Date().toISOString(),
    });
  }

  private releaseWaiters(): void {
    const reached = this._position;
    if (reached === null) return;
    const ready = this.waiters.filter((w) => w.position <= reached);
    this.waiters = this.waiters.filter((w) => w.position > reached);
    for (const waiter of ready) waiter.resolve();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
