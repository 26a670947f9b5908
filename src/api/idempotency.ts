import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { newUlid } from '../commands/new-ulid.js';
import type { ReadStore } from '../readstore/port.js';
import { KeyedLock } from '../commands/keyed-lock.js';
import type { AppDeps } from './deps.js';
import { findCommand } from './command-log.js';
import { problem } from './problem.js';
import type { ApiEnv } from './request-context.js';

const RECORDS = '_idempotency';
const KEY = /^[\x21-\x7e]{1,200}$/;

interface StoredResponse {
  status: number;
  body: string;
  contentType: string;
  etag: string | null;
}

/**
 * Idempotency-Key (scoped to the actor): the first request reserves the key with its body's
 * fingerprint and the command id it will use; a retry with the same body gets the first response
 * and appends nothing; another body under the same key is 422. Racing duplicates are serialised
 * in-process; a reservation left by a crash is settled from the command log, which knows whether
 * that command id appended anything.
 */
export function idempotency(deps: AppDeps): MiddlewareHandler<ApiEnv> {
  const lock = new KeyedLock();
  const records = (store: ReadStore) => store.collection(RECORDS);
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined || c.req.method === 'GET') return next();
    if (!KEY.test(key)) {
      return problem(400, 'Idempotency-Key must be 1..200 printable ASCII characters', { errors: [{ path: 'header.idempotency-key', message: 'invalid key' }] });
    }
    const actor = c.get('claims').sub;
    const id = sha256(`${actor}\n${key}`);
    const fingerprint = sha256(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);

    return lock.run(id, async () => {
      const existing = await records(deps.readStore).get(id);
      if (existing && existing.fingerprint !== fingerprint) {
        return problem(422, `Idempotency-Key '${key}' was already used with a different request`);
      }
      if (existing?.response) return replay(existing.response as StoredResponse);
      const commandId = typeof existing?.commandId === 'string' ? existing.commandId : newUlid();
      if (existing) {
        // Reserved but never answered: the process stopped mid-command. Did it append?
        const settled = await settleFromCommandLog(deps, commandId);
        if (settled) {
          await records(deps.readStore).update(id, { $set: { response: settled } });
          return replay(settled);
        }
      } else {
        await records(deps.readStore).put({ id, actor, fingerprint, commandId, createdAt: new Date().toISOString() });
      }
      c.set('commandId', commandId);
      await next();
      const response = c.res;
      if (!isFinal(response.status)) {
        await records(deps.readStore).delete(id);
        return response;
      }
      const stored: StoredResponse = {
        status: response.status,
        body: await response.clone().text(),
        contentType: response.headers.get('content-type') ?? 'application/json',
        etag: response.headers.get('etag'),
      };
      await records(deps.readStore).update(id, { $set: { response: stored } });
      return response;
    });
  };
}

/** Outcomes worth replaying; 409, 429 and 5xx are transient: a retry should run again. */
function isFinal(status: number): boolean {
  return status < 500 && status !== 409 && status !== 429;
}

function replay(stored: StoredResponse): Response {
  const headers: Record<string, string> = { 'content-type': stored.contentType, 'idempotent-replayed': 'true' };
  if (stored.etag) headers.etag = stored.etag;
  return new Response(stored.body, { status: stored.status, headers });
}

async function settleFromCommandLog(deps: AppDeps, commandId: string): Promise<StoredResponse | null> {
  const command = await findCommand(deps, commandId).catch(() => null);
  if (!command) return null;
  const events = command.events as Array<{ type: string; revision: number; position: string }>;
  const last = events[events.length - 1]!;
  const created = events[0]!.revision === 0;
  const body = { id: command.aggregateId, revision: last.revision, position: last.position, commandId, events: events.map((e) => e.type) };
  return { status: created ? 201 : 200, body: JSON.stringify(body), contentType: 'application/json', etag: `"${last.revision}"` };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
