// One read model collection on MongoDB. Single-document operations only: no multi-document
// transactions, so it works the same on a standalone server and on FerretDB.
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import { MongoServerError } from 'mongodb';
import type { BulkOp, Doc, Filter, FindOptions, ReadCollection, Update, UpdateOptions } from '../port.js';
import { guarded } from './backend-errors.js';
import {
  fromStoredDocument,
  toMongoFilter,
  toMongoSort,
  toMongoUpdate,
  toStoredDocument,
  type StoredDocument,
} from './field-names.js';

const DUPLICATE_KEY = 11000;

export class MongoReadCollection implements ReadCollection {
  constructor(private readonly collection: Collection<StoredDocument>) {}

  get(id: string): Promise<Doc | null> {
    return guarded(async () => {
      const stored = await this.collection.findOne({ _id: id });
      return stored ? fromStoredDocument(stored) : null;
    });
  }

  /** Found documents in the order of `ids`, each once; missing ids are left out. */
  getMany(ids: string[]): Promise<Doc[]> {
    return guarded(async () => {
      if (ids.length === 0) return [];
      const stored = await this.collection.find({ _id: { $in: ids } }).toArray();
      const byId = new Map(stored.map((raw) => [String(raw._id), fromStoredDocument(raw)]));
      return [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
    });
  }

  find(filter: Filter, options: FindOptions = {}): Promise<Doc[]> {
    return guarded(async () => {
      // MongoDB reads limit 0 as "no limit"; the port means "nothing".
      if (options.limit !== undefined && options.limit <= 0) return [];
      let cursor = this.collection.find(toMongoFilter(filter));
      if (options.sort && options.sort.length > 0) cursor = cursor.sort(toMongoSort(options.sort));
      if (options.limit !== undefined) cursor = cursor.limit(options.limit);
      const stored = await cursor.toArray();
      return stored.map(fromStoredDocument);
    });
  }

  count(filter: Filter): Promise<number> {
    return guarded(() => this.collection.countDocuments(toMongoFilter(filter)));
  }

  put(doc: Doc): Promise<void> {
    return guarded(async () => {
      const { _id, ...fields } = toStoredDocument(doc);
      await this.collection.replaceOne({ _id }, fields, { upsert: true });
    });
  }

  update(id: string, update: Update, options: UpdateOptions = {}): Promise<{ matched: boolean }> {
    if (options.where && options.upsert) return Promise.reject(new Error('update: where and upsert do not combine'));
    return guarded(async () => {
      const mongoUpdate = toMongoUpdate(update);
      if (mongoUpdate === null && !options.where) return this.touch(id, options.upsert ?? false);
      // One updateOne on the id and the condition: the server applies it atomically, a compare-and-set.
      const filter = options.where ? { ...toMongoFilter(options.where), _id: id } : { _id: id };
      if (mongoUpdate === null) return { matched: (await this.collection.countDocuments(filter, { limit: 1 })) > 0 };
      const result = await this.collection.updateOne(filter, mongoUpdate, { upsert: options.upsert ?? false });
      return { matched: result.matchedCount > 0 };
    });
  }

  delete(id: string): Promise<void> {
    return guarded(async () => {
      await this.collection.deleteOne({ _id: id });
    });
  }

  /**
   * Ordered when an id appears twice, so the later operation wins; otherwise unordered, which
   * lets the server apply them in parallel and in fewer round trips. Not atomic across documents.
   */
  bulk(ops: BulkOp[]): Promise<void> {
    return guarded(async () => {
      if (ops.length === 0) return;
      await this.collection.bulkWrite(ops.map(toBulkWriteOperation), { ordered: hasRepeatedId(ops) });
    });
  }

  /** An update with no operators changes nothing, but still reports and upserts like one. */
  private async touch(id: string, upsert: boolean): Promise<{ matched: boolean }> {
    const matched = (await this.collection.countDocuments({ _id: id }, { limit: 1 })) > 0;
    if (!matched && upsert) {
      try {
        await this.collection.insertOne({ _id: id });
      } catch (error) {
        // Created concurrently: the document exists, which is all an empty upsert asks for.
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      }
    }
    return { matched };
  }
}

function toBulkWriteOperation(op: BulkOp): AnyBulkWriteOperation<StoredDocument> {
  if ('insert' in op) return { insertOne: { document: toStoredDocument(op.insert) } };
  if ('put' in op) {
    const { _id, ...fields } = toStoredDocument(op.put);
    return { replaceOne: { filter: { _id }, replacement: fields, upsert: true } };
  }
  return { deleteOne: { filter: { _id: op.delete } } };
}

function idOf(op: BulkOp): string {
  if ('put' in op) return op.put.id;
  if ('insert' in op) return op.insert.id;
  return op.delete;
}

function hasRepeatedId(ops: BulkOp[]): boolean {
  const seen = new Set<string>();
  for (const op of ops) {
    const id = idOf(op);
    if (seen.has(id)) return true;
    seen.add(id);
  }
  return false;
}
