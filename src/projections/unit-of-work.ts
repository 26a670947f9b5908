import type { BulkOp, Doc, ReadStore } from '../readstore/port.js';
import { positionKey } from '../commands/positions.js';
import type { StoredEvent } from '../eventstore/port.js';
import type { ProjectionContext } from './projection.js';

/** Field on every read-model document: the position of the last event applied to it. */
export const APPLIED_POSITION = '_position';

/**
 * Buffers a batch's document changes: each document is read once and written once per batch.
 * A document that already carries the event's position (or a later one) is left alone, which
 * makes replays after a crash between the write and the checkpoint harmless.
 */
export class UnitOfWork {
  private readonly cache = new Map<string, Map<string, Doc | null>>();
  private readonly dirty = new Map<string, Set<string>>();

  constructor(
    private readonly store: ReadStore,
    private readonly resolve: (logical: string) => string,
  ) {}

  contextFor(event: StoredEvent): ProjectionContext {
    const key = positionKey(event.position);
    return {
      get: (collection, id) => this.load(collection, id),
      update: async (collection, id, change) => {
        const current = await this.load(collection, id);
        if (current && typeof current[APPLIED_POSITION] === 'string' && current[APPLIED_POSITION] >= key) return;
        const next = change(current === null ? null : structuredClone(current));
        this.set(collection, id, next === null ? null : { ...next, id, [APPLIED_POSITION]: key });
      },
    };
  }

  async flush(): Promise<void> {
    for (const [collection, ids] of this.dirty) {
      const docs = this.cache.get(collection)!;
      const ops: BulkOp[] = [...ids].map((id) => {
        const doc = docs.get(id);
        return doc ? { put: doc } : { delete: id };
      });
      if (ops.length > 0) await this.store.collection(this.resolve(collection)).bulk(ops);
    }
    this.dirty.clear();
    this.cache.clear();
  }

  private async load(collection: string, id: string): Promise<Doc | null> {
    let docs = this.cache.get(collection);
    if (!docs) this.cache.set(collection, (docs = new Map()));
    if (docs.has(id)) return docs.get(id) ?? null;
    const doc = await this.store.collection(this.resolve(collection)).get(id);
    docs.set(id, doc);
    return doc;
  }

  private set(collection: string, id: string, doc: Doc | null): void {
    this.cache.get(collection)!.set(id, doc);
    let ids = this.dirty.get(collection);
    if (!ids) this.dirty.set(collection, (ids = new Set()));
    ids.add(id);
  }
}
