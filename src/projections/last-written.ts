import type { Doc } from '../readstore/port.js';

/**
 * Documents as a writer last stored them (null: deleted), at most `limit`, the least recently
 * used dropped first: what a writer recalls instead of reading a document back.
 */
export class LastWritten {
  /** Map order is the recency order: a recalled or rewritten document moves to the end. */
  private readonly docs = new Map<string, Doc | null>();

  constructor(private readonly limit: number) {}

  recall(collection: string, id: string): Doc | null | undefined {
    const key = keyOf(collection, id);
    const doc = this.docs.get(key);
    if (doc === undefined) return undefined;
    this.docs.delete(key);
    this.docs.set(key, doc);
    return doc;
  }

  remember(collection: string, written: Map<string, Doc | null>): void {
    if (this.limit === 0) return;
    for (const [id, doc] of written) {
      const key = keyOf(collection, id);
      this.docs.delete(key);
      this.docs.set(key, doc);
    }
    for (const key of this.docs.keys()) {
      if (this.docs.size <= this.limit) break;
      this.docs.delete(key);
    }
  }
}

export function keyOf(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}
