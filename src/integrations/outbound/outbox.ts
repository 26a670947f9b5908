import type { Doc, ReadStore } from '../../readstore/port.js';

// Deliveries waiting to be sent, and every attempt made, one document per subscription and event.
// The agent adds them while it reads the log; the sender works through them on its own clock.

const OUTBOX = '_webhook_deliveries';

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  /** The receiver's HTTP status; null when no answer came (refused, timed out). */
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface QueuedDelivery {
  id: string;
  subscriptionId: string;
  /** Same on every attempt: receivers deduplicate by it. */
  webhookId: string;
  eventType: string;
  /** positionKey of the event: deliveries sort by it. */
  position: string;
  url: string;
  secret: string;
  body: string;
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: DeliveryAttempt[];
  nextAttemptAt: string;
}

export class WebhookOutbox {
  constructor(private readonly store: ReadStore) {}

  private get collection() {
    return this.store.collection(OUTBOX);
  }

  /** Adds the delivery unless it is there already: the agent may see the same event twice. */
  async enqueue(delivery: QueuedDelivery): Promise<void> {
    await this.collection.update(delivery.id, { $setOnInsert: { ...delivery } }, { upsert: true });
  }

  /** Pending deliveries whose time has come, leaving out the subscribers named in `except`. */
  async due(now: Date, limit: number, except: string[] = []): Promise<QueuedDelivery[]> {
    const filter = { status: 'pending', nextAttemptAt: { $lte: now.toISOString() }, ...(except.length > 0 ? { subscriptionId: { $nin: except } } : {}) };
    const docs = await this.collection.find(filter, { sort: [['nextAttemptAt', 1], ['position', 1]], limit });
    return docs as unknown as QueuedDelivery[];
  }

  async recordAttempt(id: string, attempt: DeliveryAttempt, next: { status: QueuedDelivery['status']; nextAttemptAt: string }): Promise<void> {
    await this.collection.update(id, { $push: { attempts: attempt }, $set: next });
  }

  async cancelPending(subscriptionId: string): Promise<void> {
    for (const doc of await this.collection.find({ subscriptionId, status: 'pending' }, { limit: 10_000 })) {
      await this.collection.update(doc.id, { $set: { status: 'cancelled' } });
    }
  }

  /** A page of a subscription's deliveries, newest event first. */
  async page(subscriptionId: string, limit: number, before?: string): Promise<Doc[]> {
    const filter = before === undefined ? { subscriptionId } : { subscriptionId, position: { $lt: before } };
    return this.collection.find(filter, { sort: [['position', -1]], limit });
  }

  async ensureIndexes(): Promise<void> {
    await this.store.ensureIndexes(OUTBOX, [{ fields: [['status', 1], ['nextAttemptAt', 1]] }, { fields: [['subscriptionId', 1], ['position', -1]] }]);
  }
}
