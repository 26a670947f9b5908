// Generated filters against generated documents: the embedded store must select exactly what
// MongoDB would. The model below states MongoDB's rules for the port's subset on non-array
// fields: values of different types never compare, null matches missing fields, negations
// match missing fields. Values are picked to collide in SQLite's eyes: true and 1, false
// and 0, the string '5' and the number 5, an object and a string holding its JSON text.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedReadStore } from '../../src/readstore/embedded/index.js';
import type { Doc, Filter, ReadStore } from '../../src/readstore/port.js';

type Scalar = string | number | boolean | null;

const FIELD_PATHS = ['a', 'b', 'o.x', 'id'] as const;
const RANGE_OPERATORS = ['$gt', '$gte', '$lt', '$lte'] as const;

// Strings stay within the Basic Multilingual Plane, where JavaScript's comparison of
// UTF-16 code units agrees with MongoDB's (and SQLite's) comparison of UTF-8 bytes.
const scalarArbitrary: fc.Arbitrary<Scalar> = fc.oneof(
  fc.constantFrom(0, 1, -1, 2, 5, 0.5, 1e6),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('', 'a', 'Z', '5', '0', '10', 'é', 'true', 'null', 'd1'),
  fc.constantFrom('{"a":1}', '{"a":true}', '{}', '[x]', '{'),
);

/** Objects whose JSON text equals some of the strings above; no arrays (MongoDB would look inside). */
const fieldValueArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: scalarArbitrary },
  { weight: 1, arbitrary: fc.constantFrom({ a: 1 }, { a: true }, {}) },
);

const docsArbitrary: fc.Arbitrary<Doc[]> = fc
  .array(
    fc.record(
      {
        a: fieldValueArbitrary,
        b: fieldValueArbitrary,
        o: fc.oneof(fc.record({ x: fieldValueArbitrary }, { requiredKeys: [] }), scalarArbitrary),
      },
      { requiredKeys: [] },
    ),
    { maxLength: 12 },
  )
  .map((records) => records.map((record, index) => ({ id: `d${index}`, ...record })));

const conditionArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  scalarArbitrary,
  scalarArbitrary.map(($eq) => ({ $eq })),
  scalarArbitrary.map(($ne) => ({ $ne })),
  fc.array(scalarArbitrary, { maxLength: 4 }).map(($in) => ({ $in })),
  fc.array(scalarArbitrary, { maxLength: 4 }).map(($nin) => ({ $nin })),
  fc.boolean().map(($exists) => ({ $exists })),
  fc.tuple(fc.constantFrom(...RANGE_OPERATORS), scalarArbitrary).map(([operator, value]) => ({ [operator]: value })),
  fc
    .tuple(fc.constantFrom('$gt', '$gte'), scalarArbitrary, fc.constantFrom('$lt', '$lte'), scalarArbitrary)
    .map(([low, lowValue, high, highValue]) => ({ [low]: lowValue, [high]: highValue })),
);

const filterArbitrary: fc.Arbitrary<Filter> = fc.record(
  Object.fromEntries(FIELD_PATHS.map((path) => [path, conditionArbitrary])) as Record<(typeof FIELD_PATHS)[number], fc.Arbitrary<unknown>>,
  { requiredKeys: [] },
);

// --- The model of MongoDB's matching ---

function valueAt(doc: Doc, path: string): unknown {
  let node: unknown = doc;
  for (const segment of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function isComparableScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function modelEquals(actual: unknown, expected: Scalar): boolean {
  if (expected === null) return actual === null || actual === undefined;
  return isComparableScalar(actual) && typeof actual === typeof expected && actual === expected;
}

function modelCompare(actual: unknown, operator: (typeof RANGE_OPERATORS)[number], expected: Scalar): boolean {
  if (expected === null) return (operator === '$gte' || operator === '$lte') && (actual === null || actual === undefined);
  if (!isComparableScalar(actual) || typeof actual !== typeof expected) return false;
  switch (operator) {
    case '$gt':
      return actual > expected;
    case '$gte':
      return actual >= expected;
    case '$lt':
      return actual < expected;
    case '$lte':
      return actual <= expected;
  }
}

function modelMatchesCondition(actual: unknown, condition: unknown): boolean {
  const isOperators = typeof condition === 'object' && condition !== null && !Array.isArray(condition);
  if (!isOperators) return modelEquals(actual, condition as Scalar);
  return Object.entries(condition as Record<string, unknown>).every(([operator, operand]) => {
    switch (operator) {
      case '$eq':
        return modelEquals(actual, operand as Scalar);
      case '$ne':
        return !modelEquals(actual, operand as Scalar);
      case '$in':
        return (operand as Scalar[]).some((value) => modelEquals(actual, value));
      case '$nin':
        return !(operand as Scalar[]).some((value) => modelEquals(actual, value));
      case '$exists':
        return (actual !== undefined) === operand;
      default:
        return modelCompare(actual, operator as (typeof RANGE_OPERATORS)[number], operand as Scalar);
    }
  });
}

function modelMatches(doc: Doc, filter: Filter): boolean {
  return Object.entries(filter).every(([path, condition]) => modelMatchesCondition(valueAt(doc, path), condition));
}

// --- The property ---

describe('embedded read store filters, against a model of MongoDB matching', () => {
  let tempDir: string;
  let store: ReadStore;
  let runCount = 0;

  beforeAll(async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'agent-ledger-readstore-filter-'));
    store = openEmbeddedReadStore({ file: join(tempDir, 'read-models.sqlite') });
  });

  afterAll(async () => {
    await store.close();
    await rm(tempDir, { recursive: true, force: true });
  });

  it('selects and counts exactly the documents the model matches', async () => {
    await fc.assert(
      fc.asyncProperty(docsArbitrary, filterArbitrary, async (docs, filter) => {
        runCount += 1;
        const name = `generated_${runCount}`;
        const collection = store.collection(name);
        await collection.bulk(docs.map((doc) => ({ put: doc })));
        try {
          const expectedIds = docs.filter((doc) => modelMatches(doc, filter)).map((doc) => doc.id).sort();

          const found = await collection.find(filter);

          expect(found.map((doc) => doc.id).sort()).toEqual(expectedIds);
          expect(await collection.count(filter)).toBe(expectedIds.length);
        } finally {
          await store.dropCollection(name);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the model tells the colliding values apart (so the property above can fail)', () => {
    const doc: Doc = { id: 'x', a: true, b: '5', o: { x: { a: 1 } } };

    expect(modelMatches(doc, { a: 1 })).toBe(false);
    expect(modelMatches(doc, { b: 5 })).toBe(false);
    expect(modelMatches(doc, { 'o.x': '{"a":1}' })).toBe(false);
    expect(modelMatches(doc, { missing: null, a: { $gte: false } })).toBe(true);
  });
});
