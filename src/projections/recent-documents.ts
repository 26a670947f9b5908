import type { Doc } from '../readstore/port.js';
import type { WrittenDocuments } from './unit-of-work.js';

/**
 * The documents a live projection wrote last, as it stored them, least recently used dropped
 * first: the documents that events keep touching (a feature, an environment, a pipeline) are
 * then not read back from the store on every batch. Sound because the projection is the only
 * writer of its generation while it runs here (its lease fences any other), and anything else
 * writing it in this process (a parked retry) goes through the same memory.
 */
export class RecentDocuments implements WrittenDocuments {
  /** Map order is the recency order: a recalled or rewritten document moves to the end. */
  private readonly docs = new Map<string, Doc | null>();

  constructor(private readonly limit: number) {}

  /** A live generation holds documents this process did not write: never surely absent. */
  neverWritten(): boolean {
    return false;
  }

  noteWritten(): void {}

  recall(collection: string, id: string): Doc | null | undefined {
    const key = `${collection}\u0000${id}`;
    const doc = this.docs.get(key);
    if (doc === undefined) return undefined;
    this.docs.delete(key);
    this.docs.set(key, doc);
    return doc;
  }

  remember(collection: string, written: Map<string, Doc | null>): void {
    for (const [id, doc] of written) {
      const key = `${collection}\u0000${id}`;
      this.docs.delete(key);
      this.docs.set(key, doc);
    }
    for (const key of this.docs.keys()) {
      if (this.docs.size <= this.limit) break;
      this.docs.delete(key);
    }
  }
}
