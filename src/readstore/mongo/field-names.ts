// The port calls the primary key `id`; MongoDB calls it `_id`. These helpers translate
// documents, filters, sorts and updates between the two, and nothing else.
import type { Document, Sort as MongoSort, UpdateFilter } from 'mongodb';
import type { Doc, Filter, Sort, Update } from '../port.js';

export type StoredDocument = { _id: string } & Document;

export function toMongoField(field: string): string {
  return field === 'id' ? '_id' : field;
}

export function toStoredDocument(doc: Doc): StoredDocument {
  const { id, ...fields } = doc;
  return { _id: id, ...fields };
}

export function fromStoredDocument(stored: Document): Doc {
  const { _id, ...fields } = stored;
  // A field literally named `id` cannot survive next to the key; the key wins.
  delete fields['id'];
  return { id: String(_id), ...fields };
}

export function toMongoFilter(filter: Filter): Document {
  const translated: Document = {};
  for (const [field, condition] of Object.entries(filter)) {
    translated[toMongoField(field)] = condition;
  }
  return translated;
}

export function toMongoSort(sort: Sort): MongoSort {
  return sort.map(([field, direction]) => [toMongoField(field), direction] as [string, 1 | -1]);
}

const UPDATE_OPERATORS = ['$set', '$unset', '$inc', '$push', '$setOnInsert'] as const;

/**
 * Keeps the operators that have at least one field, without `id`: the id is the key,
 * fixed by the filter (MongoDB would refuse to change `_id` anyway).
 * Returns null when nothing is left, since MongoDB rejects an update without operators.
 */
export function toMongoUpdate(update: Update): UpdateFilter<StoredDocument> | null {
  const translated: Document = {};
  for (const operator of UPDATE_OPERATORS) {
    const fields = update[operator];
    if (!fields) continue;
    const kept = Object.entries(fields).filter(([field]) => field !== 'id');
    if (kept.length > 0) translated[operator] = Object.fromEntries(kept);
  }
  return Object.keys(translated).length > 0 ? (translated as UpdateFilter<StoredDocument>) : null;
}
