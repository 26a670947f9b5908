// The read store port: a small document store for projections' read models.
// Adapters: embedded (src/readstore/embedded) and MongoDB (src/readstore/mongo).
// Every adapter must pass test/contracts/read-store.contract.ts unchanged.

/** A read model document; `id` is its primary key (MongoDB's _id). */
export type Doc = { id: string } & Record<string, unknown>;

/**
 * Mongo-style filter, a subset: `{ field: value }` (equality, also on dotted paths),
 * `{ field: { $eq, $ne, $in, $nin, $gt, $gte, $lt, $lte, $exists } }`; top-level keys are ANDed.
 */
export type Filter = Record<string, unknown>;

/** Sort keys in order of precedence: 1 ascending, -1 descending. */
export type Sort = Array<[field: string, direction: 1 | -1]>;

/** Mongo-style update operators: $set, $unset, $inc, $push, $setOnInsert (dotted paths allowed). */
export type Update = {
  $set?: Record<string, unknown>;
  $unset?: Record<string, unknown>;
  $inc?: Record<string, number>;
  $push?: Record<string, unknown>;
  $setOnInsert?: Record<string, unknown>;
};

export interface IndexSpec {
  fields: Sort;
  unique?: boolean;
}

/**
 * `insert` is for a document its writer knows is not stored yet (a rebuild's new generation):
 * nothing is looked up or replaced, and an id that is already there fails the bulk.
 */
export type BulkOp = { put: Doc } | { insert: Doc } | { delete: string };

/** One collection's operations within a write across several collections. */
export interface CollectionWrite {
  collection: string;
  ops: BulkOp[];
}

export interface UpdateOptions {
  upsert?: boolean;
  where?: Filter;
}

export interface FindOptions {
  sort?: Sort;
  limit?: number;
}

export interface ReadCollection {
  get(id: string): Promise<Doc | null>;
  getMany(ids: string[]): Promise<Doc[]>;
  find(filter: Filter, options?: FindOptions): Promise<Doc[]>;
  count(filter: Filter): Promise<number>;
  /** Inserts or replaces the whole document. */
  put(doc: Doc): Promise<void>;
  /**
   * Applies update operators to the document `id`; with upsert, creates it when missing. With
   * `where`, only when the stored document also matches that filter, atomically: a
   * compare-and-set (`matched` says whether it applied). `where` and `upsert` do not combine.
   */
  update(id: string, update: Update, options?: UpdateOptions): Promise<{ matched: boolean }>;
  delete(id: string): Promise<void>;
  /**
   * Applies the operations in order (on MongoDB, unordered when no id appears twice: no
   * operation can then depend on another); the embedded adapter makes them atomic.
   */
  bulk(ops: BulkOp[]): Promise<void>;
}

export interface ReadStore {
  collection(name: string): ReadCollection;
  /** Creates the indexes if missing; safe to call on every start. */
  ensureIndexes(collection: string, indexes: IndexSpec[]): Promise<void>;
  dropCollection(name: string): Promise<void>;
  /**
   * Only on a store that can write several collections in one transaction (the embedded one):
   * applies every entry, in order, atomically. Callers use writeCollections(), which falls back
   * to one bulk write per entry, in order, on the other stores.
   */
  bulkWrite?(writes: CollectionWrite[]): Promise<void>;
  listCollections(): Promise<string[]>;
  /** Throws BackendUnavailableError when the store cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
