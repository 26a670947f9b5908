import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppDeps } from '../../api/deps.js';
import { commandContext, type ApiEnv } from '../../api/request-context.js';
import { openapiRoute } from '../../api/openapi-route.js';
import { problem, problemResponse } from '../../api/problem.js';
import { idParam, pageSchema } from '../../api/schemas.js';
import { decodeCursor, encodeCursor } from '../../api/cursor.js';
import { ApiError } from '../../api/error-handler.js';
import { hasRole } from '../../auth/roles.js';
import { executeCommand } from '../../commands/execute-command.js';
import { loadAggregate } from '../../commands/load-aggregate.js';
import { parseStreamName } from '../../events/stream-names.js';
import { replay } from '../../domain/decider.js';
import { newWebhookSecret } from './signing.js';
import { WebhookOutbox } from './outbox.js';
import { WEBHOOK_AGGREGATE, subscribeWebhookSchema, webhookDecider, type WebhookCommand, type WebhookEvent, type WebhookState } from './subscription.js';

const subscriptionSchema = z
  .object({ id: z.string(), url: z.string(), eventTypes: z.array(z.string()), status: z.enum(['active', 'unsubscribed']), revision: z.number().int() })
  .openapi('WebhookSubscription');
const createdSchema = subscriptionSchema.extend({ secret: z.string(), position: z.string(), commandId: z.string() }).openapi('WebhookSubscriptionCreated');
const deliveriesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(500).optional() });
const responses = { 401: problemResponse('no or bad token'), 403: problemResponse('not an admin') };

/** Subscriptions hold secrets and reach out of the network: every /api/webhooks route is for admins. */
function requireAdmin(c: Context<ApiEnv>): void {
  const { role } = c.get('claims');
  if (!hasRole(role, 'admin')) throw new ApiError(403, `this needs the 'admin' role; the token has '${role}'`);
}

function view(id: string, state: WebhookState, revision: number) {
  if (state.status === 'none') throw new ApiError(404, `webhook ${id} not found`);
  return { id, url: state.url, eventTypes: state.eventTypes, status: state.status, revision };
}

async function dispatch(deps: AppDeps, c: Context<ApiEnv>, id: string, command: WebhookCommand, creates: boolean) {
  return executeCommand(deps.events, webhookDecider, {
    id,
    command,
    commandType: `${WEBHOOK_AGGREGATE}.${command.type}`,
    context: commandContext(c),
    creates,
    loadFacts: async () => undefined,
  });
}

export function registerWebhookRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  const outbox = new WebhookOutbox(deps.readStore);

  openapiRoute(
    app,
    createRoute({
      method: 'post',
      path: '/api/webhooks',
      tags: ['webhooks'],
      summary: 'Subscribe a URL to event types; deliveries are signed per Standard Webhooks with the secret (generated when omitted, shown only here)',
      request: { body: { required: true, content: { 'application/json': { schema: subscribeWebhookSchema } } } },
      responses: { 201: { description: 'subscribed', content: { 'application/json': { schema: createdSchema } } }, 400: problemResponse('invalid subscription'), ...responses },
    }),
    async (c) => {
      requireAdmin(c);
      const body = c.req.valid('json') as z.infer<typeof subscribeWebhookSchema>;
      const data = { url: body.url, eventTypes: [...new Set(body.eventTypes)], secret: body.secret ?? newWebhookSecret() };
      const context = commandContext(c);
      const result = await dispatch(deps, c, context.commandId, { type: 'subscribe', data }, true);
      return c.json({ id: result.id, url: data.url, eventTypes: data.eventTypes, status: 'active', revision: result.revision, secret: data.secret, position: result.position, commandId: result.commandId }, 201);
    },
  );

  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/webhooks',
      tags: ['webhooks'],
      summary: 'Every webhook subscription (secrets are never shown)',
      responses: { 200: { description: 'subscriptions', content: { 'application/json': { schema: pageSchema } } }, ...responses },
    }),
    async (c) => {
      requireAdmin(c);
      // Subscriptions are few: they are read from their own streams, current at once.
      const byStream = new Map<string, { events: WebhookEvent[]; revision: number }>();
      let after: bigint | null = null;
      for (;;) {
        const page = await deps.events.readAll({ after, maxCount: 1000, streamPrefix: `${WEBHOOK_AGGREGATE}-` });
        for (const event of page) {
          const entry = byStream.get(event.streamName) ?? { events: [], revision: -1 };
          entry.events.push({ type: event.type, data: event.data } as WebhookEvent);
          entry.revision = event.revision;
          byStream.set(event.streamName, entry);
        }
        if (page.length < 1000) break;
        after = page.at(-1)!.position;
      }
      const items = [...byStream].map(([stream, { events, revision }]) => view(parseStreamName(stream).id, replay(webhookDecider, events), revision));
      return c.json({ items: items.reverse(), nextCursor: null });
    },
  );

  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/webhooks/{id}',
      tags: ['webhooks'],
      summary: 'One webhook subscription',
      request: { params: idParam },
      responses: { 200: { description: 'the subscription', content: { 'application/json': { schema: subscriptionSchema } } }, 404: problemResponse('unknown id'), ...responses },
    }),
    async (c) => {
      requireAdmin(c);
      const { id } = c.req.valid('param') as { id: string };
      const loaded = await loadAggregate(deps.events, webhookDecider, id);
      return c.json(view(id, loaded.state, loaded.revision));
    },
  );

  openapiRoute(
    app,
    createRoute({
      method: 'delete',
      path: '/api/webhooks/{id}',
      tags: ['webhooks'],
      summary: 'Unsubscribe: no further events are queued, and deliveries not yet made are cancelled',
      request: { params: idParam },
      responses: { 200: { description: 'unsubscribed', content: { 'application/json': { schema: subscriptionSchema } } }, 404: problemResponse('unknown id'), 409: problemResponse('already unsubscribed'), ...responses },
    }),
    async (c) => {
      requireAdmin(c);
      const { id } = c.req.valid('param') as { id: string };
      const result = await dispatch(deps, c, id, { type: 'unsubscribe', data: {} }, false);
      const loaded = await loadAggregate(deps.events, webhookDecider, id);
      return c.json({ ...view(id, loaded.state, loaded.revision), position: result.position, commandId: result.commandId });
    },
  );

  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/webhooks/{id}/deliveries',
      tags: ['webhooks'],
      summary: 'Deliveries to a subscription, newest event first, each with every attempt made (time, HTTP status, error)',
      request: { params: idParam, query: deliveriesQuery },
      responses: { 200: { description: 'a page of deliveries', content: { 'application/json': { schema: pageSchema } } }, 404: problemResponse('unknown id'), ...responses },
    }),
    async (c) => {
      requireAdmin(c);
      const { id } = c.req.valid('param') as { id: string };
      const { limit, cursor } = c.req.valid('query') as z.infer<typeof deliveriesQuery>;
      const loaded = await loadAggregate(deps.events, webhookDecider, id);
      if (loaded.state.status === 'none') return problem(404, `webhook ${id} not found`);
      const docs = await outbox.page(id, limit + 1, cursor === undefined ? undefined : decodeCursor(cursor));
      const page = docs.slice(0, limit).map(({ secret: _secret, url: _url, ...delivery }) => delivery);
      const last = page.at(-1);
      return c.json({ items: page, nextCursor: docs.length > limit && last ? encodeCursor(String(last.position)) : null });
    },
  );
}
