import type { StoredEvent } from '../eventstore/port.js';
import type { Doc, IndexSpec } from '../readstore/port.js';

/**
 * What a projection's handler may do while applying one event. Writes are buffered per batch
 * and applied at most once per event per document, so applying an event twice changes nothing.
 */
export interface ProjectionContext {
  get(collection: string, id: string): Promise<Doc | null>;
  /** Read-modify-write of one document; returning null deletes it. */
  update(collection: string, id: string, change: (doc: Doc | null) => Doc | null): Promise<void>;
}

export interface Projection {
  name: string;
  /** Bump when the handler's output changes: a rebuild then builds the new version beside the old. */
  version: number;
  /** Logical collection names with the indexes their queries need. */
  collections: Record<string, IndexSpec[]>;
  apply(event: StoredEvent, context: ProjectionContext): Promise<void>;
}

/** Physical collection of a projection version: versions live side by side during a rebuild. */
export function physicalCollection(logical: string, version: number): string {
  return `rm_${logical}_v${version}`;
}
