import type { BulkOp, CollectionWrite, Doc, Filter, FindOptions, IndexSpec, ReadCollection, ReadStore, Update, UpdateOptions } from '../readstore/port.js';
import type { BackendPolicy } from './backend-policy.js';

/**
 * The ReadStore port with every call guarded by the backend's policy. Reads, puts, deletes and
 * bulk writes give the same result however often they run, so they are retried; an update that
 * increments or pushes is not, since a retry after an unknown outcome could apply it twice.
 */
export class ResilientReadStore implements ReadStore {
  /** Present when the inner store has it: a write across collections is retried as a whole. */
  readonly bulkWrite?: (writes: CollectionWrite[]) => Promise<void>;

  constructor(
    private readonly inner: ReadStore,
    readonly policy: BackendPolicy,
  ) {
    const { bulkWrite } = inner;
    if (bulkWrite) this.bulkWrite = (writes) => this.policy.run(() => bulkWrite.call(inner, writes));
  }

  collection(name: string): ReadCollection {
    return new ResilientCollection(this.inner.collection(name), this.policy);
  }

  ensureIndexes(collection: string, indexes: IndexSpec[]): Promise<void> {
    return this.policy.run(() => this.inner.ensureIndexes(collection, indexes));
  }

  dropCollection(name: string): Promise<void> {
    return this.policy.run(() => this.inner.dropCollection(name));
  }

  listCollections(): Promise<string[]> {
    return this.policy.run(() => this.inner.listCollections());
  }

  ping(): Promise<void> {
    return this.policy.once(() => this.inner.ping());
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

class ResilientCollection implements ReadCollection {
  constructor(
    private readonly inner: ReadCollection,
    private readonly policy: BackendPolicy,
  ) {}

  get(id: string): Promise<Doc | null> {
    return this.policy.run(() => this.inner.get(id));
  }

  getMany(ids: string[]): Promise<Doc[]> {
    return this.policy.run(() => this.inner.getMany(ids));
  }

  find(filter: Filter, options?: FindOptions): Promise<Doc[]> {
    return this.policy.run(() => this.inner.find(filter, options));
  }

  count(filter: Filter): Promise<number> {
    return this.policy.run(() => this.inner.count(filter));
  }

  put(doc: Doc): Promise<void> {
    return this.policy.run(() => this.inner.put(doc));
  }

  update(id: string, update: Update, options?: UpdateOptions): Promise<{ matched: boolean }> {
    const call = () => this.inner.update(id, update, options);
    // A compare-and-set retried after it applied would report a miss: it is tried once.
    return isRepeatable(update) && !options?.where ? this.policy.run(call) : this.policy.once(call);
  }

  delete(id: string): Promise<void> {
    return this.policy.run(() => this.inner.delete(id));
  }

  bulk(ops: BulkOp[]): Promise<void> {
    return this.policy.run(() => this.inner.bulk(ops));
  }
}

/** $set, $unset and $setOnInsert land on the same document however often they run. */
function isRepeatable(update: Update): boolean {
  return update.$inc === undefined && update.$push === undefined;
}
