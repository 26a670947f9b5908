import type { Logger } from 'pino';
import { signWebhook } from './signing.js';
import type { QueuedDelivery, WebhookOutbox } from './outbox.js';

export interface WebhookSenderOptions {
  /** How often due deliveries are looked for. */
  pollMs?: number;
  /** Wait before the second attempt; each further attempt waits twice as long, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Attempts before a delivery is given up as failed. */
  maxAttempts?: number;
  /** How long one attempt may take. */
  timeoutMs?: number;
  clock?: () => Date;
}

const DEFAULTS = { pollMs: 1000, baseDelayMs: 5000, maxDelayMs: 3_600_000, maxAttempts: 10, timeoutMs: 10_000 };
const BATCH = 200;

/** Exponential backoff: base, 2·base, 4·base… capped. */
export function backoffMs(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Sends queued deliveries outside the agent's checkpoint loop. Each subscriber is served by its
 * own chain of requests, one at a time and oldest first; a subscriber whose receiver is slow or
 * down only delays its own deliveries, never another's, nor the log's readers.
 */
export class WebhookSender {
  private readonly options: Required<Omit<WebhookSenderOptions, 'clock'>> & { clock: () => Date };
  private readonly busy = new Set<string>();
  /**
   * A subscriber whose last attempt failed waits for that attempt's retry before any other of its
   * deliveries is tried: its receiver is likely down, and its backlog must not crowd out the
   * deliveries of other subscribers.
   */
  private readonly pausedUntil = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private stopped = true;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly outbox: WebhookOutbox,
    options: WebhookSenderOptions = {},
    private readonly logger?: Logger,
  ) {
    this.options = { ...DEFAULTS, clock: () => new Date(), ...options };
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.nudge(), this.options.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.running]);
  }

  /** Looks for due deliveries now (after the agent queued some) instead of at the next poll. */
  nudge(): void {
    if (this.stopped || this.ticking) return;
    this.ticking = true;
    this.track(this.tick().finally(() => (this.ticking = false)));
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.logger?.warn({ err: error }, 'webhook delivery round failed; retrying at the next poll'));
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  private async tick(): Promise<void> {
    const now = this.options.clock();
    for (const [subscriptionId, until] of this.pausedUntil) if (until <= now.getTime()) this.pausedUntil.delete(subscriptionId);
    const due = await this.outbox.due(now, BATCH, [...new Set([...this.busy, ...this.pausedUntil.keys()])]);
    const bySubscriber = new Map<string, QueuedDelivery[]>();
    for (const delivery of due) {
      if (this.busy.has(delivery.subscriptionId)) continue;
      bySubscriber.set(delivery.subscriptionId, [...(bySubscriber.get(delivery.subscriptionId) ?? []), delivery]);
    }
    for (const [subscriptionId, deliveries] of bySubscriber) {
      this.busy.add(subscriptionId);
      this.track(this.serve(deliveries).finally(() => this.busy.delete(subscriptionId)));
    }
  }

  /** One subscriber's due deliveries in order; a failed attempt ends its round (the receiver is likely down). */
  private async serve(deliveries: QueuedDelivery[]): Promise<void> {
    for (const delivery of deliveries) {
      if (this.stopped) return;
      if (!(await this.attempt(delivery))) return;
    }
  }

  private async attempt(delivery: QueuedDelivery): Promise<boolean> {
    const { clock, timeoutMs, maxAttempts, baseDelayMs, maxDelayMs } = this.options;
    const started = clock();
    const timestamp = Math.floor(started.getTime() / 1000);
    const number = delivery.attempts.length + 1;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'agent-ledger-webhooks',
          'webhook-id': delivery.webhookId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(delivery.webhookId, timestamp, delivery.body, delivery.secret),
        },
        body: delivery.body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      status = response.status;
      await response.body?.cancel();
      if (status < 200 || status > 299) error = `the receiver answered ${status}`;
    } catch (failure) {
      error = failure instanceof Error ? (failure.cause instanceof Error ? failure.cause.message : failure.message) : String(failure);
    }
    const finished = clock();
    const delivered = error === null;
    const next = delivered
      ? { status: 'delivered' as const, nextAttemptAt: finished.toISOString() }
      : number >= maxAttempts
        ? { status: 'failed' as const, nextAttemptAt: finished.toISOString() }
        : { status: 'pending' as const, nextAttemptAt: new Date(finished.getTime() + backoffMs(number, baseDelayMs, maxDelayMs)).toISOString() };
    await this.outbox.recordAttempt(
      delivery.id,
      { attempt: number, at: started.toISOString(), status, error, durationMs: finished.getTime() - started.getTime() },
      next,
    );
    if (!delivered && next.status === 'pending') this.pausedUntil.set(delivery.subscriptionId, Date.parse(next.nextAttemptAt));
    if (!delivered) this.logger?.info({ webhookId: delivery.webhookId, url: delivery.url, attempt: number, error }, 'webhook delivery attempt failed');
    return delivered;
  }
}
