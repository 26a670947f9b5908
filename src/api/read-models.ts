import type { Context } from 'hono';
import type { Doc, Filter } from '../readstore/port.js';
import { parsePosition } from '../events/positions.js';
import type { AppDeps } from './deps.js';
import { ApiError } from './error-handler.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const CONSISTENCY_TIMEOUT_MS = 5000;

/** Internal bookkeeping fields (prefixed `_`) never leave the API. */
export function publicDoc(doc: Doc): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([key]) => !key.startsWith('_')));
}

/** ?consistentWith=<position>: wait (≤ 5 s) until the read model has applied that position. */
export async function awaitConsistency(deps: AppDeps, logical: string, consistentWith: string | undefined): Promise<void> {
  if (consistentWith === undefined) return;
  const position = parsePosition(consistentWith);
  if (position === null) {
    throw new ApiError(400, 'consistentWith must be a position returned by a command', {
      errors: [{ path: 'query.consistentWith', message: 'invalid position' }],
    });
  }
  // No event sits at position 0 (SQLite counts from 1; EventStoreDB's log opens with its own
  // records), so every read model, even one that has applied nothing, includes it.
  if (position === 0n) return;
  // A command answers only after its events are in the log, so a position past the head is one no
  // command has reached: waiting cannot help, and the documented 504 is answered at once.
  const head = await deps.events.headPosition();
  if (head === null || position > head) {
    throw new ApiError(504, `position ${consistentWith} is past the head of the log: no command has reached it`, {
      headers: { 'retry-after': '1' },
    });
  }
  const reached = await deps.projections.waitFor(logical, position, CONSISTENCY_TIMEOUT_MS);
  if (!reached) {
    throw new ApiError(504, `the ${logical} read model did not reach position ${consistentWith} within 5 s`, {
      headers: { 'retry-after': '1' },
    });
  }
}

export async function itemResponse(c: Context, deps: AppDeps, logical: string, id: string, consistentWith?: string): Promise<Response> {
  await awaitConsistency(deps, logical, consistentWith);
  const doc = await deps.projections.collection(logical).get(id);
  if (!doc) throw new ApiError(404, `${singular(logical)} ${id} not found`);
  if (typeof doc.revision === 'number') c.header('etag', `"${doc.revision}"`);
  return c.json(publicDoc(doc));
}

/**
 * A page of a read model, newest first by `key` (ULID ids sort by creation time), with keyset
 * pagination: the cursor holds the last key, so pages never repeat or skip while writes go on.
 */
export async function listResponse(
  c: Context,
  deps: AppDeps,
  logical: string,
  query: { limit: number; cursor?: string; consistentWith?: string },
  filter: Filter,
  key = 'id',
): Promise<Response> {
  await awaitConsistency(deps, logical, query.consistentWith);
  const full: Filter = { ...filter };
  if (query.cursor !== undefined) {
    const bound = full[key];
    full[key] = { ...(typeof bound === 'object' && bound !== null ? bound : {}), $lt: decodeCursor(query.cursor) };
  }
  const docs = await deps.projections.collection(logical).find(full, { sort: [[key, -1]], limit: query.limit + 1 });
  const page = docs.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor = docs.length > query.limit && last ? encodeCursor(String(last[key])) : null;
  return c.json({ items: page.map(publicDoc), nextCursor });
}

/** Drops undefined query values so they do not become filters. */
export function definedOnly(values: Record<string, unknown>): Filter {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

function singular(logical: string): string {
  return logical.endsWith('s') ? logical.slice(0, -1) : logical;
}
