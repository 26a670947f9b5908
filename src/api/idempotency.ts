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
/** A reservation another process holds is taken as in flight for this long, then as abandoned. */
const IN_FLIGHT_MS = 30_000;
/** Tells this process's reservations from those of other API processes sharing the read store. */
const PROCESS_ID = newUlid();

interface StoredResponse {
  status: number;
  body: string;
  contentType: string;
  etag: string | null;
}

/**
 * Idempotency-Key (scoped to the actor): the first request reserves the key with its body's
 * fingerprint and the command id it will use; a retry with the same body gets the first response
 * and appends nothing; another body under the same key is 422. Only a response the command gave
 * (2xx, or 422 from a domain rule) keeps the key.
 * - Racing duplicates are serialised in this process; another process's live reservation is a
 *   409 with Retry-After (the reservation is an insert-if-absent, so only one process holds it).
 * - When the outcome is unknown (a 5xx: the append may have landed, e.g. after a timeout) or the
 *   process died, the reservation stays, and the retry settles it from the command log, which
 *   knows whether that command id appended anything, before it runs the command again.
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
      const reservation = { id, actor, fingerprint, commandId: newUlid(), owner: PROCESS_ID, reservedAt: new Date().toISOString() };
      // Insert-if-absent; a racing insert from another process may fail on the duplicate id instead.
      const matched = await records(deps.readStore)
        .update(id, { $setOnInsert: reservation }, { upsert: true })
        .then((result) => result.matched, () => true);
      const existing = matched ? await records(deps.readStore).get(id) : null;
      if (existing && existing.fingerprint !== fingerprint) {
        return problem(422, `Idempotency-Key '${key}' was already used with a different request`);
      }
      if (existing?.response) return replay(existing.response as StoredResponse);
      const commandId = existing ? String(existing.commandId) : reservation.commandId;
      if (existing) {
        const heldElsewhere = existing.owner !== PROCESS_ID && Date.now() - Date.parse(String(existing.reservedAt)) < IN_FLIGHT_MS;
        if (heldElsewhere) {
          return problem(409, `a request with Idempotency-Key '${key}' is still in progress; retry shortly`, { headers: { 'retry-after': '1' } });
        }
        // Reserved but never answered here: did that command append? Then that is the answer.
        const settled = await settleFromCommandLog(deps, commandId);
        if (settled) {
          await records(deps.readStore).update(id, { $set: { response: settled } });
          return replay(settled);
        }
        await records(deps.readStore).update(id, { $set: { owner: PROCESS_ID, reservedAt: new Date().toISOString() } });
      }
      c.set('commandId', commandId);
      await next();
      const response = c.res;
      if (response.status >= 500) return response; // outcome unknown: the reservation stays
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

/**
 * Outcomes worth replaying: the command ran (2xx) or a domain rule refused it (422). Anything
 * else appended nothing and was refused before or beside the command (invalid input, a failed
 * precondition, an unknown id, a conflict, a rate limit), so the key stays free for a retry.
 */
function isFinal(status: number): boolean {
  return (status >= 200 && status < 300) || status === 422;
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
