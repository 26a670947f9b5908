import { z } from 'zod';
import type { Decider } from '../../domain/decider.js';
import { DomainConflictError } from '../../domain/errors.js';
import { requireExisting, requireNew } from '../../domain/shared/existence.js';

// A webhook subscription: where to send which events, and the secret to sign them with. It lives
// in the log like everything else, so the agent that delivers knows, at each event, who was
// subscribed then.

export const WEBHOOK_AGGREGATE = 'webhook';

const SECRET = /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/;

export const subscribeWebhookSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000),
    eventTypes: z.array(z.string().regex(/^[A-Z][A-Za-z]{2,80}$/, 'must be an event type, e.g. IncidentOpened')).min(1).max(50),
    secret: z.string().regex(SECRET, 'must be whsec_ followed by at least 24 bytes in base64').optional(),
  })
  .strict();
export type SubscribeWebhook = z.infer<typeof subscribeWebhookSchema>;

export const webhookSubscribedSchema = z.object({ url: z.string(), eventTypes: z.array(z.string()), secret: z.string() });
export type WebhookSubscribed = z.infer<typeof webhookSubscribedSchema>;

export type WebhookState = { status: 'none' } | ({ status: 'active' | 'unsubscribed' } & WebhookSubscribed);
export type WebhookCommand = { type: 'subscribe'; data: WebhookSubscribed } | { type: 'unsubscribe'; data: Record<string, never> };
export type WebhookEvent = { type: 'WebhookSubscribed'; data: WebhookSubscribed } | { type: 'WebhookUnsubscribed'; data: Record<string, never> };

export const webhookDecider: Decider<WebhookState, WebhookCommand, WebhookEvent> = {
  aggregateType: WEBHOOK_AGGREGATE,
  initialState: { status: 'none' },
  evolve(state, event) {
    if (event.type === 'WebhookSubscribed') return { status: 'active', ...event.data };
    return state.status === 'none' ? state : { ...state, status: 'unsubscribed' };
  },
  decide(command, state) {
    if (command.type === 'subscribe') {
      requireNew(state, WEBHOOK_AGGREGATE);
      return [{ type: 'WebhookSubscribed', data: command.data }];
    }
    const existing = requireExisting<Exclude<WebhookState, { status: 'none' }>>(state, WEBHOOK_AGGREGATE);
    if (existing.status === 'unsubscribed') throw new DomainConflictError('the webhook is already unsubscribed');
    return [{ type: 'WebhookUnsubscribed', data: {} }];
  },
};

export const WEBHOOK_EVENTS = ['WebhookSubscribed', 'WebhookUnsubscribed'];
