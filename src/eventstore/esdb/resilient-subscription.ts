// A catch-up subscription to $all that outlives dropped connections and server restarts.
// Received events wait in a queue and reach onBatch in order, one batch at a time; when the
// client subscription fails, the queue is drained first and a new one starts strictly after the
// last event received, so nothing is delivered twice and nothing is skipped.
import {
  START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Position,
} from '@eventstore/db-client';
import type { Logger } from 'pino';
import type { StoredEvent, SubscribeOptions, Subscription } from '../port.js';
import { fromPortPosition, isSystemEvent, toStoredEvent } from './conversions.js';
import { InvalidLogPositionError, isTransient, isUnreadablePosition, translateError } from './esdb-errors.js';
import { verifyStartPosition } from './start-position.js';

export interface ResubscribeDelays {
  /** Wait before the first resubscription; it doubles after each failure in a row... */
  initialMs: number;
  /** ...up to this cap. */
  maxMs: number;
}

export const DEFAULT_RESUBSCRIBE_DELAYS: ResubscribeDelays = { initialMs: 100, maxMs: 5_000 };
const DEFAULT_MAX_BATCH_SIZE = 100;
const DEFAULT_CHECK_TIMEOUT_MS = 5_000;

/** Exponential backoff: the initial delay, doubled per failure in a row, capped. */
export function resubscribeDelay(failuresInARow: number, delays: ResubscribeDelays): number {
  return Math.min(delays.maxMs, delays.initialMs * 2 ** failuresInARow);
}

export class ResilientAllSubscription implements Subscription {
  readonly done: Promise<void>;
  private stopped = false;
  private queue: AllStreamResolvedEvent[] = [];
  private resumeFrom: Position | typeof START;
  private failuresInARow = 0;
  /** Wakes the delivery loop: an event arrived, the source failed, or stop() was called. */
  private wake: () => void = () => {};

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: SubscribeOptions,
    private readonly delays: ResubscribeDelays = DEFAULT_RESUBSCRIBE_DELAYS,
    private readonly logger?: Pick<Logger, 'warn'>,
    /** Longest wait for the reads that check a start position. */
    private readonly timeoutMs = DEFAULT_CHECK_TIMEOUT_MS,
  ) {
    this.resumeFrom = options.after === null ? START : fromPortPosition(options.after);
    this.done = this.run();
    // Marks the rejection as observed; callers still see it through `done`.
    this.done.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.done.catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const failure = await this.deliverUntilDropped();
      if (this.stopped) return;
      if (isUnreadablePosition(failure) && this.resumeFrom !== START) {
        throw new InvalidLogPositionError(this.resumeFrom.commit, { cause: failure });
      }
      if (!isTransient(failure)) throw translateError(failure);
      const delayMs = resubscribeDelay(this.failuresInARow, this.delays);
      this.failuresInARow++;
      this.logger?.warn({ err: failure, delayMs }, 'event store subscription dropped; resubscribing');
      await this.sleep(delayMs);
    }
  }

  /** Runs one client subscription; returns why it ended, or undefined once stopped. */
  private async deliverUntilDropped(): Promise<unknown> {
    const maxBatchSize = Math.max(1, this.options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE);
    const highWaterMark = Math.max(2 * maxBatchSize, 64);
    if (this.resumeFrom !== START) {
      try {
        await verifyStartPosition(this.client, this.resumeFrom, this.timeoutMs);
      } catch (error) {
        return error;
      }
      if (this.stopped) return undefined;
    }
    let failure: unknown;
    const source: AllStreamSubscription = this.client.subscribeToAll({
      fromPosition: this.resumeFrom,
      filter: excludeSystemEvents(),
    });
    source.on('confirmation', () => (this.failuresInARow = 0));
    source.on('data', (resolved: AllStreamResolvedEvent) => {
      this.queue.push(resolved);
      // Backpressure: stop reading from the server while onBatch is behind.
      if (this.queue.length >= highWaterMark) source.pause();
      this.wake();
    });
    source.on('error', (error: Error) => {
      failure ??= error;
      this.wake();
    });
    source.on('end', () => {
      failure ??= new SubscriptionEndedError();
      this.wake();
    });
    try {
      for (;;) {
        if (this.stopped) return undefined;
        if (this.queue.length > 0) {
          const received = this.queue.splice(0, maxBatchSize);
          if (source.isPaused() && this.queue.length < highWaterMark / 2) source.resume();
          await this.deliver(received);
          continue;
        }
        if (failure !== undefined) return failure;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      source.removeAllListeners('data');
      void source.unsubscribe();
    }
  }

  private async deliver(received: AllStreamResolvedEvent[]): Promise<void> {
    const events: StoredEvent[] = [];
    let last: Position | undefined;
    for (const { event } of received) {
      if (!event) continue;
      last = event.position;
      // The server filters on event type; a user-typed event in a system stream stops here.
      if (!isSystemEvent(event)) events.push(toStoredEvent(event));
    }
    if (events.length > 0) await this.options.onBatch(events);
    if (last) this.resumeFrom = last;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** The server ended a subscription without an error, which it does not do on its own. */
class SubscriptionEndedError extends Error {
  override name = 'SubscriptionEndedError';
  // Treated like UNAVAILABLE: resubscribe.
  readonly code = 14;
  constructor() {
    super('the event store ended the subscription');
  }
}
