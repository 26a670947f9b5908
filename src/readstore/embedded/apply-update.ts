// Applies the port's Mongo-style update operators to a document in memory; the store reads,
// applies and writes back inside one transaction.
import type { Doc, Update } from '../port.js';

const OPERATORS = ['$set', '$unset', '$inc', '$push', '$setOnInsert'] as const;
type Operator = (typeof OPERATORS)[number];

type Fields = Record<string, unknown>;

/**
 * Returns the updated copy of `current`, or the new document when `current` is null (an
 * upsert). The id is the key and never changes: `id` paths are ignored, as MongoDB's adapter
 * does. Throws, changing nothing, on an unknown operator, on two operators touching the same
 * path, or on a path that runs through a value that is not an object.
 */
export function applyUpdate(current: Doc | null, id: string, update: Update): Doc {
  const changes = changesOf(update);
  rejectConflicts(changes.map((change) => change.path));
  const doc: Doc = current === null ? { id } : structuredClone(current);
  for (const { operator, path, value } of changes) {
    if (operator === '$setOnInsert' && current !== null) continue;
    applyChange(doc, operator, path, value);
  }
  return doc;
}

interface Change {
  operator: Operator;
  path: string;
  value: unknown;
}

function changesOf(update: Update): Change[] {
  for (const key of Object.keys(update)) {
    if (!(OPERATORS as readonly string[]).includes(key)) throw new Error(`unsupported update operator ${key}`);
  }
  return OPERATORS.flatMap((operator) =>
    Object.entries((update[operator] ?? {}) as Fields)
      .filter(([path]) => path !== 'id')
      .map(([path, value]) => ({ operator, path: checkedPath(path), value })),
  );
}

function checkedPath(path: string): string {
  const segments = path.split('.');
  if (segments[0] === 'id') throw new Error(`cannot update ${path}: id is the document's key`);
  if (segments.some((segment) => segment === '' || segment.startsWith('$'))) {
    throw new Error(`invalid update path ${JSON.stringify(path)}`);
  }
  return path;
}

/** MongoDB refuses an update where one path equals or contains another. */
function rejectConflicts(paths: string[]): void {
  const sorted = [...paths].sort();
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1]!;
    const path = sorted[index]!;
    if (path === previous || path.startsWith(`${previous}.`)) {
      throw new Error(`update paths ${previous} and ${path} conflict`);
    }
  }
}

function applyChange(doc: Doc, operator: Operator, path: string, value: unknown): void {
  const segments = path.split('.');
  const key = segments.pop()!;
  const parent = operator === '$unset' ? existingParent(doc, segments) : parentCreatingObjects(doc, segments, path);
  if (parent === null) return;
  switch (operator) {
    case '$set':
    case '$setOnInsert':
      parent[key] = value;
      return;
    case '$unset':
      delete parent[key];
      return;
    case '$inc':
      parent[key] = incremented(parent[key], value, path);
      return;
    case '$push':
      parent[key] = pushed(parent[key], value, path);
      return;
  }
}

function parentCreatingObjects(doc: Fields, segments: string[], path: string): Fields {
  let node = doc;
  for (const segment of segments) {
    const child = node[segment];
    if (child === undefined) node[segment] = {};
    else if (!isObject(child)) throw new Error(`cannot update ${path}: ${segment} is not an object`);
    node = node[segment] as Fields;
  }
  return node;
}

/** Null when the path does not lead to an object: there is nothing to unset. */
function existingParent(doc: Fields, segments: string[]): Fields | null {
  let node = doc;
  for (const segment of segments) {
    const child = node[segment];
    if (!isObject(child)) return null;
    node = child;
  }
  return node;
}

function incremented(current: unknown, by: unknown, path: string): number {
  if (typeof by !== 'number' || !Number.isFinite(by)) throw new Error(`$inc on ${path} needs a finite number`);
  if (current === undefined) return by;
  if (typeof current !== 'number') throw new Error(`cannot $inc ${path}: it is not a number`);
  return current + by;
}

/** `{ $each: [...] }` appends several values, as in MongoDB. */
function pushed(current: unknown, value: unknown, path: string): unknown[] {
  const values = isObject(value) && Array.isArray(value['$each']) ? (value['$each'] as unknown[]) : [value];
  if (current === undefined) return [...values];
  if (!Array.isArray(current)) throw new Error(`cannot $push to ${path}: it is not an array`);
  return [...current, ...values];
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
