import type { Logger } from 'pino';
import type { StoredEvent, Subscription } from '../eventstore/port.js';
import type { FeedBatch, LogFeed } from '../consumer/log-feed.js';
import { isTransient, type WorkBulkhead } from '../resilience/index.js';
import type { Reactor } from './reactor.js';
import { context } from '@opentelemetry/api';
import { endSpan, startEventSpan } from '../observability/tracing.js';
import type { ReactorCheckpoints } from './reactor-checkpoints.js';

export interface ReactorRunnerOptions {
  /** Attempts per event before a non-transient failure parks it. */
  maxAttempts?: number;
  /** Pause before resubscribing after a failure, and base of the per-event backoff. */
  retryDelayMs?: number;
  batchSize?: number;
  logger?: Logger;
  /** Throws when this process may no longer act for the reactor (its lease is gone): checked before each event. */
  fence?: () => void;
}

export type ReactorStatus = 'starting' | 'running' | 'retrying' | 'stopped';

/**
 * Runs one reactor: a subscription to the process's shared log reader from the reactor's
 * checkpoint, for the event types it handles. The checkpoint moves after each batch, so a crash
 * replays at most one batch, which reactors tolerate by design. A transient failure (a backend
 * down, the bulkhead full) checkpoints what was done, ends the subscription, and resumes at the
 * failed event after a pause: no event is skipped. Any other failure is retried a few times, then the event is parked and the reactor
 * goes on, so one bad event cannot stop an agent for good.
 */
export class ReactorRunner {
  private subscription: Subscription | null = null;
  private stopped = false;
  private resubscribeTimer: NodeJS.Timeout | null = null;
  private _status: ReactorStatus = 'starting';
  private _position: bigint | null = null;
  private _lastError: string | null = null;
  private readonly handled: ReadonlySet<string> | null;

  constructor(
    private readonly feed: LogFeed,
    private readonly checkpoints: ReactorCheckpoints,
    readonly reactor: Reactor,
    private readonly bulkhead: WorkBulkhead,
    private readonly options: ReactorRunnerOptions = {},
  ) {
    this.handled = reactor.canHandle ? new Set(reactor.canHandle) : null;
  }

  get status(): ReactorStatus {
    return this._status;
  }
  get position(): bigint | null {
    return this._position;
  }
  get lastError(): string | null {
    return this._lastError;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.subscribeFromCheckpoint();
    await this.reactor.start?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this._status = 'stopped';
    if (this.resubscribeTimer) clearTimeout(this.resubscribeTimer);
    await this.reactor.stop?.();
    await this.subscription?.stop();
  }

  private async subscribeFromCheckpoint(): Promise<void> {
    this._position = await this.checkpoints.load(this.reactor.name);
    if (this.stopped) return;
    const subscription = this.feed.subscribe({
      after: this._position,
      eventTypes: this.handled,
      maxBatchSize: this.options.batchSize ?? 200,
      onBatch: (batch) => this.reactToBatch(batch),
    });
    this.subscription = subscription;
    this._status = 'running';
    subscription.done.then(
      () => undefined,
      (error: unknown) => this.retryLater(error),
    );
  }

  private retryLater(error: unknown): void {
    if (this.stopped) return;
    this._status = 'retrying';
    this._lastError = message(error);
    this.options.logger?.warn({ reactor: this.reactor.name, err: error }, 'reactor subscription failed; resuming from its checkpoint');
    this.resubscribeTimer = setTimeout(() => {
      this.resubscribeTimer = null;
      this.subscribeFromCheckpoint().catch((failure: unknown) => this.retryLater(failure));
    }, this.options.retryDelayMs ?? 1000);
    this.resubscribeTimer.unref();
  }

  private async reactToBatch(batch: FeedBatch): Promise<void> {
    let done: StoredEvent | null = null;
    try {
      for (const event of batch.events) {
        if (this.stopped) throw new Error('reactor stopped');
        this.options.fence?.();
        await this.reactTo(event);
        done = event;
      }
    } catch (error) {
      // Keep what was done, so the resubscription starts at the event that failed.
      if (done) await this.saveCheckpoint(done.position).catch(() => undefined);
      throw error;
    }
    await this.saveCheckpoint(batch.through);
    this._lastError = null;
  }

  private async saveCheckpoint(position: bigint): Promise<void> {
    await this.checkpoints.save(this.reactor.name, position);
    this._position = position;
  }

  /** In a span continuing the event's trace: the commands the reactor issues become its children. */
  private async reactTo(event: StoredEvent): Promise<void> {
    const traced = startEventSpan(`agent ${this.reactor.name} ${event.type}`, event, { 'agent_ledger.agent': this.reactor.name });
    if (!traced) return this.reactWithRetry(event);
    try {
      await context.with(traced.context, () => this.reactWithRetry(event));
      endSpan(traced.span);
    } catch (error) {
      endSpan(traced.span, error);
      throw error;
    }
  }

  private async reactWithRetry(event: StoredEvent): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.bulkhead.run(() => this.reactor.react(event));
        return;
      } catch (error) {
        if (isTransient(error) || this.stopped) throw error;
        if (attempt >= maxAttempts) {
          this.options.logger?.error({ reactor: this.reactor.name, eventId: event.id, type: event.type, err: error }, 'event parked');
          await this.checkpoints.park(this.reactor.name, event, error);
          return;
        }
        await sleep((this.options.retryDelayMs ?? 1000) * attempt);
      }
    }
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
