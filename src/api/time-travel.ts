import type { Context } from 'hono';
import type { AggregateModule } from '../domain/aggregate.js';
import { loadAggregate } from '../commands/load-aggregate.js';
import { streamName } from '../events/stream-names.js';
import { formatPosition } from '../events/positions.js';
import type { AppDeps } from './deps.js';
import { ApiError } from './error-handler.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/**
 * The state of an aggregate as of a revision or a time, rebuilt by replaying its stream with the
 * domain's evolve: no read model is involved, so it is exact whatever the projections' state.
 */
export async function stateAsOf(
  c: Context,
  deps: AppDeps,
  aggregate: AggregateModule,
  id: string,
  asOf: { revision?: number; at?: string },
): Promise<Response> {
  const { decider, name: aggregateType } = aggregate;
  const at = asOf.at === undefined ? undefined : new Date(asOf.at);
  const loaded = await loadAggregate(deps.events, decider, id, { toRevision: asOf.revision, at });
  if (loaded.revision < 0) {
    const exists = (await deps.events.readStream(streamName(aggregateType, id), { maxCount: 1 })).length > 0;
    if (!exists) throw new ApiError(404, `${aggregateType} ${id} not found`);
    throw new ApiError(404, `${aggregateType} ${id} did not exist yet at ${asOf.at ?? `revision ${asOf.revision}`}`);
  }
  if (asOf.revision !== undefined && loaded.revision < asOf.revision) {
    throw new ApiError(404, `${aggregateType} ${id} has no revision ${asOf.revision}; its latest is ${loaded.revision}`);
  }
  const last = loaded.events[loaded.events.length - 1]!;
  c.header('etag', `"${loaded.revision}"`);
  return c.json({
    ...(loaded.state as Record<string, unknown>),
    id,
    revision: loaded.revision,
    asOf: { revision: loaded.revision, at: (last.metadata.at as string | undefined) ?? last.recordedAt.toISOString(), position: formatPosition(last.position) },
  });
}

/** The stream's events with revision, type, data and metadata, oldest first, paginated. */
export async function streamHistory(
  c: Context,
  deps: AppDeps,
  aggregate: AggregateModule,
  id: string,
  query: { limit: number; cursor?: string },
): Promise<Response> {
  const aggregateType = aggregate.name;
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor);
  if (after !== null && !/^\d{1,15}$/.test(after)) {
    throw new ApiError(400, 'the cursor is not one this API issued', { errors: [{ path: 'query.cursor', message: 'invalid cursor' }] });
  }
  const from = after === null ? 0 : Number(after) + 1;
  const events = await deps.events.readStream(streamName(aggregateType, id), { fromRevision: from, maxCount: query.limit + 1 });
  if (events.length === 0 && from === 0) throw new ApiError(404, `${aggregateType} ${id} not found`);
  const page = events.slice(0, query.limit);
  const last = page[page.length - 1];
  return c.json({
    items: page.map((event) => ({
      revision: event.revision,
      position: formatPosition(event.position),
      type: event.type,
      data: event.data,
      metadata: event.metadata,
      eventId: event.id,
      recordedAt: event.recordedAt.toISOString(),
    })),
    nextCursor: events.length > query.limit && last ? encodeCursor(String(last.revision)) : null,
  });
}
