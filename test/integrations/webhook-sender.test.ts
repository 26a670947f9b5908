import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedReadStore } from '../../src/readstore/embedded/index.js';
import type { ReadStore } from '../../src/readstore/port.js';
import { WebhookOutbox, type QueuedDelivery } from '../../src/integrations/outbound/outbox.js';
import { WebhookSender, backoffMs } from '../../src/integrations/outbound/webhook-sender.js';
import { positionKey } from '../../src/events/positions.js';
import { eventually } from '../agents/support/eventually.js';
import { startReceiver } from './support/receiver.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function outbox(): { store: ReadStore; outbox: WebhookOutbox } {
  const dir = mkdtempSync(join(tmpdir(), 'agent-ledger-outbox-'));
  const store = openEmbeddedReadStore({ file: join(dir, 'read-models.db') });
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, outbox: new WebhookOutbox(store) };
}

function delivery(subscriptionId: string, url: string, position: number): QueuedDelivery {
  return {
    id: `${subscriptionId}:${position}`,
    subscriptionId,
    webhookId: `msg_${position}`,
    eventType: 'IncidentOpened',
    position: positionKey(BigInt(position)),
    url,
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    body: JSON.stringify({ type: 'IncidentOpened', position }),
    status: 'pending',
    attempts: [],
    nextAttemptAt: new Date(0).toISOString(),
  };
}

describe('the webhook sender', () => {
  it('backs off exponentially, capped', () => {
    expect([1, 2, 3, 4, 10].map((attempt) => backoffMs(attempt, 5000, 60_000))).toEqual([5000, 10_000, 20_000, 40_000, 60_000]);
  });

  it('serves a subscriber whose receiver is up while another one, down, has a backlog larger than a round', async () => {
    const { outbox: queue } = outbox();
    const up = await startReceiver();
    cleanups.push(() => up.close());
    for (let position = 1; position <= 300; position++) await queue.enqueue(delivery('down', 'http://127.0.0.1:9/down', position));
    await queue.enqueue(delivery('up', up.url, 301));

    const sender = new WebhookSender(queue, { pollMs: 20, baseDelayMs: 60_000, timeoutMs: 500 });
    sender.start();
    cleanups.push(() => sender.stop());

    const received = await eventually(async () => up.received[0], 'the delivery to the receiver that is up', 3000);
    expect(JSON.parse(received.body).position).toBe(301);
    // The receiver that is down was tried once, and then waits for its retry.
    const backlog = await queue.page('down', 500);
    expect(backlog.filter((doc) => (doc.attempts as unknown[]).length > 0)).toHaveLength(1);
  });
});
