import type { Doc } from '../readstore/port.js';
import type { WrittenDocuments } from './unit-of-work.js';
import { LastWritten } from './last-written.js';

/**
 * The documents a live projection wrote last, as it stored them, least recently used dropped
 * first: the documents that events keep touching (a feature, an environment, a pipeline) are
 * then not read back from the store on every batch. Sound because the projection is the only
 * writer of its generation while it runs here (its lease fences any other), and anything else
 * writing it in this process (a parked retry) goes through the same memory.
 */
export class RecentDocuments implements WrittenDocuments {
  private readonly last: LastWritten;

  constructor(limit: number) {
    this.last = new LastWritten(limit);
  }

  /** A live generation holds documents this process did not write: never surely absent. */
  neverWritten(): boolean {
    return false;
  }

  noteWritten(): void {}

  recall(collection: string, id: string): Doc | null | undefined {
    return this.last.recall(collection, id);
  }

  remember(collection: string, written: Map<string, Doc | null>): void {
    this.last.remember(collection, written);
  }
}
