import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ZodError } from 'zod';
import type { AppDeps } from '../../api/deps.js';
import type { ApiEnv } from '../../api/request-context.js';
import { openapiRoute } from '../../api/openapi-route.js';
import { problem, problemResponse, validationErrors } from '../../api/problem.js';
import { pageQuery, pageSchema } from '../../api/schemas.js';
import { definedOnly, listResponse } from '../../api/read-models.js';
import { verifyGithubSignature, verifyGitlabToken } from './signatures.js';
import { GITHUB_EVENTS, parseGithubDelivery } from './github-payloads.js';
import { parseGitlabDelivery, GITLAB_EVENTS } from './gitlab-payloads.js';
import type { CiReport } from './ci-report.js';
import { receiveCiDelivery, type DeliveryDeps } from './receive-delivery.js';
import { CI_DELIVERIES } from './deliveries-projection.js';
import type { InboundSettings } from './settings.js';

const DELIVERY_ID = /^[A-Za-z0-9._:-]{1,200}$/;

// Documented, not validated here: the signature is checked first, on the raw body.
const githubHeaders = z.object({
  'x-hub-signature-256': z.string().optional().openapi({ description: 'sha256=<hex HMAC-SHA256 of the raw body with GITHUB_WEBHOOK_SECRET>' }),
  'x-github-event': z.string().optional().openapi({ example: 'workflow_run' }),
  'x-github-delivery': z.string().optional().openapi({ description: 'the delivery id: a redelivery with it changes nothing' }),
});
const gitlabHeaders = z.object({
  'x-gitlab-token': z.string().optional().openapi({ description: 'the secret token, GITLAB_WEBHOOK_TOKEN' }),
  'x-gitlab-event': z.string().optional().openapi({ example: 'Pipeline Hook' }),
  'idempotency-key': z.string().optional().openapi({ description: 'same on retries of one event (GitLab 17.4+)' }),
  'x-gitlab-event-uuid': z.string().optional(),
});
const receivedSchema = z.record(z.string(), z.unknown()).openapi('CiDelivery');

function webhookRoute(vendor: string, summary: string, headers: typeof githubHeaders | typeof gitlabHeaders, limit: MiddlewareHandler) {
  return createRoute({
    method: 'post',
    path: `/webhooks/${vendor}`,
    tags: ['integrations'],
    summary,
    security: [],
    middleware: [limit] as const,
    request: { headers, body: { required: true, content: { 'application/json': { schema: { type: 'object' as const, description: `the ${vendor} webhook payload` } } } } },
    responses: {
      200: { description: 'received (matched, unmatched or ignored; duplicate: true for a redelivery)', content: { 'application/json': { schema: receivedSchema } } },
      400: problemResponse('not JSON, not the documented shape, or no delivery id'),
      401: problemResponse('missing or wrong signature: nothing is appended'),
      404: problemResponse('this integration is not configured'),
      413: problemResponse('body too large'),
      415: problemResponse('not application/json'),
    },
  });
}

/**
 * Inbound CI webhooks live outside /api: GitHub and GitLab cannot send a bearer token, so each
 * delivery is authenticated by its vendor's signature instead. The delivery log is under /api.
 */
export function registerCiWebhookRoutes(app: OpenAPIHono<ApiEnv>, deps: AppDeps, settings: InboundSettings): void {
  const deliveries: DeliveryDeps = { events: deps.events, commands: deps.commands, builds: () => deps.projections.collection('builds') };
  const limit = bodyLimit({ maxSize: deps.bodyLimitBytes, onError: () => problem(413, `request body is larger than ${deps.bodyLimitBytes} bytes`) });

  openapiRoute(app, webhookRoute('github', 'GitHub workflow_run / check_run delivery, signed with X-Hub-Signature-256', githubHeaders, limit), async (c) => {
    if (!settings.githubSecret) return notConfigured('GitHub', 'GITHUB_WEBHOOK_SECRET');
    const raw = await c.req.text();
    if (!verifyGithubSignature(raw, c.req.header('x-hub-signature-256'), settings.githubSecret)) {
      return problem(401, 'X-Hub-Signature-256 is missing or does not match the body signed with the configured secret');
    }
    const deliveryId = c.req.header('x-github-delivery');
    const event = c.req.header('x-github-event') ?? '';
    return receive(c, deliveries, raw, 'X-GitHub-Delivery', (payload) => ({
      deliveryId,
      report: (GITHUB_EVENTS as readonly string[]).includes(event) ? parseGithubDelivery(event, payload) : noResult('github', event, payload),
    }));
  });

  openapiRoute(app, webhookRoute('gitlab', 'GitLab pipeline / job event, authenticated by X-Gitlab-Token', gitlabHeaders, limit), async (c) => {
    if (!settings.gitlabToken) return notConfigured('GitLab', 'GITLAB_WEBHOOK_TOKEN');
    if (!verifyGitlabToken(c.req.header('x-gitlab-token'), settings.gitlabToken)) {
      return problem(401, 'X-Gitlab-Token is missing or is not the configured secret token');
    }
    const raw = await c.req.text();
    const event = c.req.header('x-gitlab-event') ?? '';
    // GitLab keeps Idempotency-Key across retries of one event (17.4+); older versions send
    // X-Gitlab-Event-UUID; without either, the event's own id and status name it.
    const header = c.req.header('idempotency-key') ?? c.req.header('x-gitlab-event-uuid');
    return receive(c, deliveries, raw, 'Idempotency-Key or X-Gitlab-Event-UUID', (payload) => {
      if (!(GITLAB_EVENTS as readonly string[]).includes(event)) return { deliveryId: header, report: noResult('gitlab', event, payload) };
      const { report, eventKey } = parseGitlabDelivery(event, payload);
      return { deliveryId: header ?? eventKey, report };
    });
  });

  openapiRoute(
    app,
    createRoute({
      method: 'get',
      path: '/api/integrations/deliveries',
      tags: ['integrations'],
      summary: 'CI deliveries received from GitHub and GitLab, newest first, matched to builds or not',
      request: {
        query: pageQuery.extend({
          provider: z.enum(['github', 'gitlab']).optional(),
          status: z.enum(['matched', 'unmatched', 'ignored']).optional(),
        }),
      },
      responses: { 200: { description: 'a page of deliveries', content: { 'application/json': { schema: pageSchema } } }, 400: problemResponse('invalid query') },
    }),
    async (c) => {
      const { limit: pageSize, cursor, consistentWith, provider, status } = c.req.valid('query');
      return listResponse(c, deps, CI_DELIVERIES, { limit: pageSize, cursor, consistentWith }, definedOnly({ provider, status }), 'position');
    },
  );
}

async function receive(
  c: Context,
  deps: DeliveryDeps,
  raw: string,
  idHeader: string,
  parse: (payload: unknown) => { deliveryId: string | undefined; report: CiReport },
): Promise<Response> {
  if (!/^application\/json\s*(;.*)?$/i.test(c.req.header('content-type') ?? '')) {
    return problem(415, 'deliveries must be sent as application/json (the webhook content type setting)');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch {
    return problem(400, 'the delivery body is not valid JSON');
  }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(payload);
  } catch (error) {
    if (error instanceof ZodError) return problem(400, 'the delivery does not have the shape its event type documents', { errors: validationErrors(error.issues, 'body') });
    throw error;
  }
  const { deliveryId, report } = parsed;
  if (deliveryId === undefined || !DELIVERY_ID.test(deliveryId)) return problem(400, `${idHeader} must name the delivery (1..200 characters of [A-Za-z0-9._:-])`);
  const received = await receiveCiDelivery(deps, deliveryId, report);
  return c.json(received, 200);
}

/** A verified delivery of an event that carries no build result (e.g. GitHub's ping). */
function noResult(provider: CiReport['provider'], event: string, payload: unknown): CiReport {
  const repository = (payload as { repository?: { full_name?: unknown }; project?: { path_with_namespace?: unknown } } | null) ?? {};
  const name = repository.repository?.full_name ?? repository.project?.path_with_namespace;
  return {
    provider,
    event,
    run: '',
    repository: typeof name === 'string' ? name : null,
    commit: null,
    outcome: null,
    durationMs: 0,
    note: `event ${event || '(none)'} carries no build result`,
  };
}

function notConfigured(vendor: string, variable: string): Response {
  return problem(404, `${vendor} webhooks are not configured on this server: set ${variable} to the webhook secret`);
}
