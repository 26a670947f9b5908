import type { BulkOp, Doc, ReadCollection } from '../readstore/port.js';
import { positionKey } from '../events/positions.js';
import type { StoredEvent } from '../eventstore/port.js';
import type { Projection, ProjectionContext } from './projection.js';

/** Field on every read-model document: the position of the last event applied to it. */
export const APPLIED_POSITION = '_position';

/**
 * What a writer that starts from empty collections knows without asking the store (see
 * KnownDocuments): which documents surely do not exist, and what it last wrote itself.
 */
export interface WrittenDocuments {
  /** True only when the document was surely never written; false when it may have been. */
  neverWritten(collection: string, id: string): boolean;
  /** Called before the document is written: from then on it may exist. */
  noteWritten(collection: string, id: string): void;
  /** The document as this writer stored it (null: deleted), or undefined when it does not hold it. */
  recall?(collection: string, id: string): Doc | null | undefined;
  /** Called once the documents are stored: what recall answers for them from now on. */
  remember?(collection: string, docs: Map<string, Doc | null>): void;
}

export interface UnitOfWorkOptions {
  /**
   * Applies events even to documents that already carry a later position (re-applying a parked
   * event out of order); the document keeps the later position, so replays stay harmless.
   */
  reapply?: boolean;
  written?: WrittenDocuments;
}

/** The read store failed under a handler: the store's fault, not the event's, so it is never parked. */
export class DocumentReadError extends Error {
  constructor(collection: string, id: string, cause: unknown) {
    super(`reading ${collection}/${id} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DocumentReadError';
  }
}

interface CollectionBuffer {
  store: ReadCollection;
  docs: Map<string, Doc | null>;
  dirty: Set<string>;
  /** Documents known not to be stored: written with a plain insert (or not at all when deleted). */
  absent: Set<string>;
}

/** One collection's share of the changes: its logical name, its handle and the operations. */
export interface PendingWrite {
  logical: string;
  store: ReadCollection;
  ops: BulkOp[];
}

interface Change {
  buffer: CollectionBuffer;
  id: string;
  previous: Doc | null;
  wasDirty: boolean;
}

/**
 * Buffers a batch's document changes: each document is read once and written once per batch,
 * with one bulk write per collection. A document that already carries the event's position (or
 * a later one) is left alone, which makes replays after a crash between the write and the
 * checkpoint harmless. The changes of an event whose handler throws are rolled back, so a
 * parked event leaves nothing half-applied behind.
 *
 * Handlers get a shallow copy of the cached document: they must build new nested values rather
 * than mutate the ones they were given. A deep copy per event would make replaying a document
 * that grows with the log (an environment's releases) cost its size on every event.
 */
export class UnitOfWork {
  private readonly buffers = new Map<string, CollectionBuffer>();
  private changes: Change[] = [];

  constructor(
    private readonly resolve: (logical: string) => ReadCollection,
    private readonly options: UnitOfWorkOptions = {},
  ) {}

  /** Runs the projection's handler for one event; rolls its changes back if it throws. */
  async apply(projection: Projection, event: StoredEvent): Promise<void> {
    this.changes = [];
    try {
      await projection.apply(event, new EventContext(this, positionKey(event.position)));
    } catch (error) {
      this.rollback();
      throw error;
    } finally {
      this.changes = [];
    }
  }

  /** Documents read or changed (each at most once), until the next flush. */
  get heldDocuments(): number {
    let count = 0;
    for (const buffer of this.buffers.values()) count += buffer.docs.size;
    return count;
  }

  /** Writes the changes, one bulk write per collection. */
  async flush(): Promise<void> {
    const changes = this.takeChanges();
    for (const { store, ops } of changes.writes) await store.bulk(ops);
    changes.stored();
  }

  /**
   * Hands the changes over for the caller to write (with other writes, in one transaction) and
   * starts empty. `stored()` is to be called once they are written.
   */
  takeChanges(): { writes: PendingWrite[]; stored(): void } {
    const writes: PendingWrite[] = [];
    const remembered: Array<[string, Map<string, Doc | null>]> = [];
    for (const [logical, buffer] of this.buffers) {
      if (buffer.dirty.size === 0) continue;
      const ops: BulkOp[] = [];
      const written = new Map<string, Doc | null>();
      for (const id of buffer.dirty) {
        const doc = buffer.docs.get(id) ?? null;
        const absent = buffer.absent.has(id);
        written.set(id, doc);
        if (doc) ops.push(absent ? { insert: doc } : { put: doc });
        else if (!absent) ops.push({ delete: id });
        if (doc) this.options.written?.noteWritten(logical, id);
      }
      if (ops.length > 0) writes.push({ logical, store: buffer.store, ops });
      remembered.push([logical, written]);
    }
    this.buffers.clear();
    const written = this.options.written;
    return {
      writes,
      stored: () => {
        for (const [logical, docs] of remembered) written?.remember?.(logical, docs);
      },
    };
  }

  async load(logical: string, id: string): Promise<Doc | null> {
    const buffer = this.buffer(logical);
    const cached = buffer.docs.get(id);
    if (cached !== undefined) return cached;
    if (buffer.docs.has(id)) return null;
    const written = this.options.written;
    let doc: Doc | null = null;
    const recalled = written?.recall?.(logical, id);
    if (recalled !== undefined) {
      // Written by this writer: no need to read back what it knows it stored.
      doc = recalled;
      if (doc === null) buffer.absent.add(id);
    } else if (written?.neverWritten(logical, id)) {
      buffer.absent.add(id);
    } else {
      try {
        doc = await buffer.store.get(id);
      } catch (error) {
        throw new DocumentReadError(logical, id, error);
      }
    }
    buffer.docs.set(id, doc);
    return doc;
  }

  async update(logical: string, id: string, key: string, change: (doc: Doc | null) => Doc | null): Promise<void> {
    const current = await this.load(logical, id);
    const applied = current ? current[APPLIED_POSITION] : undefined;
    const alreadyApplied = typeof applied === 'string' && applied >= key;
    if (alreadyApplied && !this.options.reapply) return;
    const next = change(current === null ? null : { ...current });
    const position = alreadyApplied ? (applied as string) : key;
    this.set(this.buffer(logical), id, next === null ? null : { ...next, id, [APPLIED_POSITION]: position });
  }

  private buffer(logical: string): CollectionBuffer {
    let buffer = this.buffers.get(logical);
    if (!buffer) this.buffers.set(logical, (buffer = { store: this.resolve(logical), docs: new Map(), dirty: new Set(), absent: new Set() }));
    return buffer;
  }

  private set(buffer: CollectionBuffer, id: string, doc: Doc | null): void {
    this.changes.push({ buffer, id, previous: buffer.docs.get(id) ?? null, wasDirty: buffer.dirty.has(id) });
    buffer.docs.set(id, doc);
    buffer.dirty.add(id);
  }

  private rollback(): void {
    for (const change of this.changes.reverse()) {
      change.buffer.docs.set(change.id, change.previous);
      if (!change.wasDirty) change.buffer.dirty.delete(change.id);
    }
  }
}

/** What a handler sees for one event (a class, not closures: it is made once per event). */
class EventContext implements ProjectionContext {
  constructor(
    private readonly unit: UnitOfWork,
    private readonly key: string,
  ) {}

  get(collection: string, id: string): Promise<Doc | null> {
    return this.unit.load(collection, id);
  }

  update(collection: string, id: string, change: (doc: Doc | null) => Doc | null): Promise<void> {
    return this.unit.update(collection, id, this.key, change);
  }
}
