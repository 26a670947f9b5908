import { z } from 'zod';
import type { StoredEvent } from '../eventstore/port.js';
import type { Doc, ReadStore } from '../readstore/port.js';
import { positionKey } from '../events/positions.js';
import { generationKey, type Generation } from './projection-generation.js';

export const PARKED = '_parked';

/** The event itself is kept, so a retry needs nothing from the log (ESDB positions cannot be stepped back). */
const parkedEventSchema = z.object({
  id: z.string(),
  projection: z.string(),
  generation: z.string(),
  /** Fixed-width position: string order is log order, for sorting and cursors. */
  position: z.string(),
  event: z.object({
    id: z.string(),
    streamName: z.string(),
    type: z.string(),
    revision: z.number().int(),
    position: z.string(),
    data: z.unknown(),
    metadata: z.record(z.string(), z.unknown()),
    recordedAt: z.string(),
  }),
  error: z.string(),
  attempts: z.number().int(),
  parkedAt: z.string(),
  retries: z.number().int(),
});
export type ParkedEvent = z.infer<typeof parkedEventSchema>;

const DELETE_PAGE = 500;

/**
 * Events a projection's handler kept failing on, one document each in `_parked`, per projection
 * generation: a rebuild starts with none, and retiring a generation drops its parked events.
 */
export class ParkedEvents {
  constructor(private readonly store: ReadStore) {}

  async ensureIndexes(): Promise<void> {
    await this.store.ensureIndexes(PARKED, [{ fields: [['projection', 1], ['generation', 1], ['position', 1]] }]);
  }

  async park(projection: string, generation: Generation, event: StoredEvent, error: unknown, attempts: number): Promise<void> {
    const key = generationKey(generation);
    const parked: ParkedEvent = {
      id: `${projection}@${key}:${positionKey(event.position)}`,
      projection,
      generation: key,
      position: positionKey(event.position),
      event: {
        id: event.id,
        streamName: event.streamName,
        type: event.type,
        revision: event.revision,
        position: event.position.toString(),
        data: event.data,
        metadata: event.metadata,
        recordedAt: event.recordedAt.toISOString(),
      },
      error: errorMessage(error),
      attempts,
      parkedAt: new Date().toISOString(),
      retries: 0,
    };
    await this.store.collection(PARKED).put(parked);
  }

  /** Parked events in log order, after the `after` position key when given. */
  async list(projection: string, generation: Generation, page: { limit: number; after?: string }): Promise<ParkedEvent[]> {
    const filter: Record<string, unknown> = { projection, generation: generationKey(generation) };
    if (page.after !== undefined) filter.position = { $gt: page.after };
    const docs = await this.store.collection(PARKED).find(filter, { sort: [['position', 1]], limit: page.limit });
    return docs.flatMap((doc) => {
      const parsed = parkedEventSchema.safeParse(doc);
      return parsed.success ? [parsed.data] : [];
    });
  }

  count(projection: string, generation: Generation): Promise<number> {
    return this.store.collection(PARKED).count({ projection, generation: generationKey(generation) });
  }

  remove(parked: ParkedEvent): Promise<void> {
    return this.store.collection(PARKED).delete(parked.id);
  }

  async recordFailedRetry(parked: ParkedEvent, error: unknown): Promise<void> {
    await this.store.collection(PARKED).update(parked.id, { $set: { error: errorMessage(error), lastRetryAt: new Date().toISOString() }, $inc: { retries: 1 } });
  }

  async dropGeneration(projection: string, generation: Generation): Promise<void> {
    const filter = { projection, generation: generationKey(generation) };
    for (;;) {
      const docs: Doc[] = await this.store.collection(PARKED).find(filter, { limit: DELETE_PAGE });
      if (docs.length === 0) return;
      await this.store.collection(PARKED).bulk(docs.map((doc) => ({ delete: doc.id })));
    }
  }
}

export function parkedToStoredEvent(parked: ParkedEvent): StoredEvent {
  const { event } = parked;
  return { ...event, position: BigInt(event.position), recordedAt: new Date(event.recordedAt) };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
