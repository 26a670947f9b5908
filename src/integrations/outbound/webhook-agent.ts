import type { Logger } from 'pino';
import { positionKey } from '../../events/positions.js';
import { readMetadata } from '../../events/metadata.js';
import { parseStreamName } from '../../events/stream-names.js';
import type { EventStore, StoredEvent } from '../../eventstore/port.js';
import type { ReadStore } from '../../readstore/port.js';
import type { Reactor } from '../../agents/reactor.js';
import { WebhookOutbox } from './outbox.js';
import { WebhookSender, type WebhookSenderOptions } from './webhook-sender.js';
import { WEBHOOK_AGGREGATE, WEBHOOK_EVENTS, webhookSubscribedSchema, type WebhookSubscribed } from './subscription.js';

/** The JSON every receiver gets, in the Standard Webhooks shape: type, timestamp, data. */
export function webhookPayload(event: StoredEvent): string {
  const { aggregateType, id } = parseStreamName(event.streamName);
  const meta = readMetadata(event.metadata);
  return JSON.stringify({
    type: event.type,
    timestamp: meta.at ?? event.recordedAt.toISOString(),
    data: {
      eventId: event.id,
      aggregateType,
      aggregateId: id,
      revision: event.revision,
      position: event.position.toString(),
      data: event.data,
      metadata: { actor: meta.actor, correlationId: meta.correlationId, causationId: meta.causationId, commandId: meta.commandId },
    },
  });
}

/**
 * The webhooks agent: reads the log from its checkpoint and queues one delivery per subscriber of
 * each event's type. It knows the subscriptions as of each event, because it reads them from the
 * same log in the same order; the sender does the sending, outside this loop.
 */
export class WebhookAgent implements Reactor {
  readonly name = 'agent:webhooks';
  private readonly outbox: WebhookOutbox;
  private readonly sender: WebhookSender;
  /** Null until the first event: the subscriptions made before it are read from the log then. */
  private subscriptions: Map<string, WebhookSubscribed> | null = null;
  private subscribedTypes = new Set<string>();

  constructor(
    private readonly events: EventStore,
    readStore: ReadStore,
    options: WebhookSenderOptions = {},
    logger?: Logger,
  ) {
    this.outbox = new WebhookOutbox(readStore);
    this.sender = new WebhookSender(this.outbox, options, logger);
  }

  private handles(event: StoredEvent): boolean {
    return this.subscriptions === null || isSubscriptionEvent(event) || this.subscribedTypes.has(event.type);
  }

  async react(event: StoredEvent): Promise<void> {
    if (!this.handles(event)) return;
    const subscriptions = this.subscriptions ?? (await this.loadSubscriptionsBefore(event.position));
    if (isSubscriptionEvent(event)) return this.apply(subscriptions, event);
    let queued = false;
    for (const [subscriptionId, subscription] of subscriptions) {
      if (!subscription.eventTypes.includes(event.type)) continue;
      await this.outbox.enqueue({
        id: `${subscriptionId}:${event.id}`,
        subscriptionId,
        webhookId: `msg_${event.id}`,
        eventType: event.type,
        position: positionKey(event.position),
        url: subscription.url,
        secret: subscription.secret,
        body: webhookPayload(event),
        status: 'pending',
        attempts: [],
        nextAttemptAt: new Date(0).toISOString(),
      });
      queued = true;
    }
    if (queued) this.sender.nudge();
  }

  async start(): Promise<void> {
    await this.outbox.ensureIndexes();
    this.sender.start();
  }

  async stop(): Promise<void> {
    await this.sender.stop();
  }

  private async loadSubscriptionsBefore(position: bigint): Promise<Map<string, WebhookSubscribed>> {
    const subscriptions = new Map<string, WebhookSubscribed>();
    this.subscriptions = subscriptions;
    let after: bigint | null = null;
    for (;;) {
      const page = await this.events.readAll({ after, maxCount: 500, streamPrefix: `${WEBHOOK_AGGREGATE}-` });
      for (const event of page) if (event.position < position) await this.apply(subscriptions, event, false);
      if (page.length < 500) break;
      after = page.at(-1)!.position;
    }
    this.refreshTypes();
    return subscriptions;
  }

  private async apply(subscriptions: Map<string, WebhookSubscribed>, event: StoredEvent, live = true): Promise<void> {
    const { id } = parseStreamName(event.streamName);
    if (event.type === 'WebhookSubscribed') {
      const parsed = webhookSubscribedSchema.safeParse(event.data);
      if (parsed.success) subscriptions.set(id, parsed.data);
    } else {
      subscriptions.delete(id);
      if (live) await this.outbox.cancelPending(id);
    }
    this.refreshTypes();
  }

  private refreshTypes(): void {
    this.subscribedTypes = new Set([...(this.subscriptions?.values() ?? [])].flatMap((subscription) => subscription.eventTypes));
  }
}

function isSubscriptionEvent(event: StoredEvent): boolean {
  return event.streamName.startsWith(`${WEBHOOK_AGGREGATE}-`) && WEBHOOK_EVENTS.includes(event.type);
}
