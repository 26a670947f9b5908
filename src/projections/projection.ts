import type { StoredEvent } from '../eventstore/port.js';
import type { Doc, IndexSpec } from '../readstore/port.js';
import { decodeEvent, dispatchEvent, handledTypes, type EventHandlers, type LoggedEvent } from '../events/typed-events.js';

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
  /**
   * The event types it handles: other events only move its checkpoint, without reaching `apply`.
   * Absent for a projection of every event.
   */
  canHandle?: readonly string[];
  apply(event: StoredEvent, context: ProjectionContext): Promise<void>;
}

interface ProjectionDefinition {
  name: string;
  version: number;
  collections: Record<string, IndexSpec[]>;
}

/** A projection made of one handler per event type; it handles exactly those types. */
export function projectionOf(definition: ProjectionDefinition & { handlers: EventHandlers<ProjectionContext> }): Projection {
  const { handlers, ...rest } = definition;
  return {
    ...rest,
    canHandle: handledTypes(handlers),
    apply: (event, context) => dispatchEvent(handlers, decodeEvent(event), context),
  };
}

/** A projection of every event in the log, whatever its type (the audit timeline, the command log). */
export function projectionOfEveryEvent(definition: ProjectionDefinition & { handle(event: LoggedEvent, context: ProjectionContext): Promise<void> }): Projection {
  const { handle, ...rest } = definition;
  return { ...rest, apply: (event, context) => handle(decodeEvent(event), context) };
}

/** Physical collection of a projection version: versions live side by side during a rebuild. */
export function physicalCollection(logical: string, version: number): string {
  return `rm_${logical}_v${version}`;
}
