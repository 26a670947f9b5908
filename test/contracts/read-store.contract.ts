// The read store contract: every ReadStore adapter must pass this suite unchanged.
// It may run against a shared, long-lived MongoDB server, so every test writes to its own
// collection with a name unique to this run, and drops it afterwards. Where MongoDB leaves
// an order unspecified (find without sort), results are compared as sets.
import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeCollections } from '../../src/readstore/write-collections.js';
import type { Doc, Filter, IndexSpec, ReadCollection, ReadStore } from '../../src/readstore/port.js';

export interface ReadStoreFixture {
  store: ReadStore;
  cleanup(): Promise<void>;
}

const PAGE_SIZE = 50;

function idsOf(docs: Doc[]): string[] {
  return docs.map((doc) => doc.id);
}

function sortedIdsOf(docs: Doc[]): string[] {
  return idsOf(docs).sort();
}

/** JavaScript's default sort compares UTF-16 code units: the same as UTF-8 bytes below U+D800. */
function binarySorted(values: string[]): string[] {
  return [...values].sort();
}

/**
 * A document with every kind of JSON value, including strings that look like other types.
 * No arrays directly inside arrays: FerretDB 1.x rejects them, and read models need none.
 */
const everyKindOfValue: Doc = {
  id: 'every-kind',
  title: 'Déploiement — 部署 🚀',
  count: 42,
  negative: -7,
  ratio: 0.125,
  zero: 0,
  largestSafeInteger: Number.MAX_SAFE_INTEGER,
  enabled: true,
  disabled: false,
  nothing: null,
  numberLikeString: '42',
  zeroPaddedString: '007',
  exponentLikeString: '1e3',
  booleanLikeString: 'true',
  nullLikeString: 'null',
  jsonLikeString: '{"a":1}',
  emptyString: '',
  tags: ['api', 'auth'],
  mixed: [1, 'two', true, null, { three: 3 }],
  nested: { level1: { level2: { value: 'deep', list: [] } }, emptyObject: {} },
};

/** Seeded into each filter test's collection; `tag`, `flag` and `meta` mix types on purpose. */
const filterDocs: Doc[] = [
  { id: 'a', status: 'open', n: 1, score: 10.5, flag: true, tag: 'x', opt: null, owner: { name: 'ann', level: 2 }, meta: { k: 1 } },
  { id: 'b', status: 'closed', n: 2, score: -3, flag: false, tag: '5', owner: { name: 'bob', level: 1 }, meta: '{"k":1}' },
  { id: 'c', status: 'open', n: 3, score: 0, flag: true, tag: 5, opt: 'set', owner: { name: 'cy', level: 3 } },
  { id: 'd', status: 'draft', n: 4, score: 7, flag: 1, tag: 50, owner: { name: 'dee', level: 2 } },
  { id: 'e', n: 5, score: 2.5, flag: 0, tag: 'y', opt: 0 },
];

const filterCases: Array<[description: string, filter: Filter, expectedIds: string[]]> = [
  ['an empty filter matches every document', {}, ['a', 'b', 'c', 'd', 'e']],
  ['implicit equality on a string', { status: 'open' }, ['a', 'c']],
  ['explicit $eq on a string', { status: { $eq: 'open' } }, ['a', 'c']],
  ['equality on a number', { n: 2 }, ['b']],
  ['equality on a number does not match a string that looks like it', { tag: 5 }, ['c']],
  ['equality on a string does not match a number that looks like it', { tag: '5' }, ['b']],
  ['equality on true matches booleans only, not the number 1', { flag: true }, ['a', 'c']],
  ['equality on false matches booleans only, not the number 0', { flag: false }, ['b']],
  ['equality on 1 matches numbers only, not true', { flag: 1 }, ['d']],
  ['equality on null matches null and missing fields', { opt: null }, ['a', 'b', 'd']],
  ['$ne also matches documents without the field', { status: { $ne: 'open' } }, ['b', 'd', 'e']],
  ['$ne null matches present, non-null values', { opt: { $ne: null } }, ['c', 'e']],
  ['$in matches any of the values', { status: { $in: ['open', 'draft'] } }, ['a', 'c', 'd']],
  ['$in with null also matches missing fields', { status: { $in: ['draft', null] } }, ['d', 'e']],
  ['$in keeps types apart', { tag: { $in: [5, 'x'] } }, ['a', 'c']],
  ['$in with an empty list matches nothing', { status: { $in: [] } }, []],
  ['$nin matches none of the values, missing fields included', { status: { $nin: ['open', 'closed'] } }, ['d', 'e']],
  ['$gt on numbers', { n: { $gt: 3 } }, ['d', 'e']],
  ['$gte on numbers', { n: { $gte: 3 } }, ['c', 'd', 'e']],
  ['$lt on numbers, with negatives and fractions', { score: { $lt: 2.5 } }, ['b', 'c']],
  ['$lte on numbers, with negatives and fractions', { score: { $lte: 2.5 } }, ['b', 'c', 'e']],
  ['two range operators on one field make an interval', { n: { $gt: 1, $lt: 4 } }, ['b', 'c']],
  ['a numeric range never matches strings', { tag: { $gt: 0 } }, ['c', 'd']],
  ['a string range never matches numbers', { tag: { $gte: '0' } }, ['a', 'b', 'e']],
  ['a string range compares strings, not numbers', { tag: { $lt: 'x' } }, ['b']],
  ['equality on a string never matches an object, even one serialised as that string', { meta: '{"k":1}' }, ['b']],
  ['a string range never matches objects', { meta: { $gte: '{' } }, ['b']],
  ['$exists true matches present fields, null included', { opt: { $exists: true } }, ['a', 'c', 'e']],
  ['$exists false matches missing fields only', { opt: { $exists: false } }, ['b', 'd']],
  ['equality on a dotted path', { 'owner.name': 'bob' }, ['b']],
  ['a range on a dotted path', { 'owner.level': { $gte: 2 } }, ['a', 'c', 'd']],
  ['several keys are ANDed', { status: 'open', 'owner.level': { $gt: 2 } }, ['c']],
  ['operators and equality on different keys are ANDed', { n: { $lte: 4 }, flag: { $ne: true }, status: { $exists: true } }, ['b', 'd']],
  ['equality on id', { id: 'b' }, ['b']],
  ['$in on id', { id: { $in: ['a', 'c', 'zz'] } }, ['a', 'c']],
  ['a range on id', { id: { $gt: 'c' } }, ['d', 'e']],
];

/** Fixed-width uppercase Crockford base32 like ULIDs: digits sort before letters, bytewise. */
const ulidLikeIds = [
  '01HZY8Q3T0000000000000000Z',
  '01HZY8Q3T00000000000000000',
  '7ZZZZZZZZZZZZZZZZZZZZZZZZZ',
  '01HZY8Q3TA0000000000000000',
  '01J0000000000000000000000A',
  '0000000000000000000000000A',
  '01HZY8Q3T90000000000000000',
];

/**
 * `racesUnsupported`: why the server under test cannot be trusted with concurrent compare-and-set
 * (FerretDB's SQLite backend reads and writes an update in two steps); those tests then skip, loudly.
 */
export function readStoreContract(adapterName: string, open: () => Promise<ReadStoreFixture>, options: { racesUnsupported?: string } = {}): void {
  if (options.racesUnsupported) console.warn(`read store contract on ${adapterName}: concurrent compare-and-set SKIPPED: ${options.racesUnsupported}`);
  describe(`read store contract: ${adapterName}`, () => {
    const runId = ulid().toLowerCase();
    let fixture: ReadStoreFixture;
    let store: ReadStore;
    let collectionsOfThisTest: string[] = [];
    let collectionCount = 0;

    beforeAll(async () => {
      fixture = await open();
      store = fixture.store;
    });

    afterEach(async () => {
      for (const name of collectionsOfThisTest) await store.dropCollection(name);
      collectionsOfThisTest = [];
    });

    afterAll(async () => {
      await fixture?.cleanup();
    });

    function newCollectionName(): string {
      collectionCount += 1;
      const name = `contract_${runId}_${collectionCount}`;
      collectionsOfThisTest.push(name);
      return name;
    }

    function newCollection(): ReadCollection {
      return store.collection(newCollectionName());
    }

    async function collectionWith(docs: Doc[]): Promise<ReadCollection> {
      const collection = newCollection();
      await collection.bulk(docs.map((doc) => ({ put: doc })));
      return collection;
    }

    describe('documents: put, get, getMany, delete', () => {
      it('gives back what was put: nested objects, arrays, numbers, booleans, null, unicode, look-alike strings', async () => {
        const collection = newCollection();

        await collection.put(everyKindOfValue);

        expect(await collection.get(everyKindOfValue.id)).toEqual(everyKindOfValue);
      });

      it('keeps strings that look like numbers, booleans or null as strings', async () => {
        const collection = newCollection();
        await collection.put(everyKindOfValue);

        const stored = await collection.get(everyKindOfValue.id);

        expect(stored?.numberLikeString).toBe('42');
        expect(stored?.zeroPaddedString).toBe('007');
        expect(stored?.booleanLikeString).toBe('true');
        expect(stored?.nullLikeString).toBe('null');
        expect(stored?.jsonLikeString).toBe('{"a":1}');
      });

      it('reads a missing document as null, also in a collection never written', async () => {
        const collection = newCollection();
        expect(await collection.get('nobody')).toBeNull();

        await collection.put({ id: 'somebody' });

        expect(await collection.get('nobody')).toBeNull();
      });

      it('replaces the whole document on a second put', async () => {
        const collection = newCollection();
        await collection.put({ id: 'r1', title: 'first', obsolete: true, nested: { a: 1, b: 2 } });

        await collection.put({ id: 'r1', title: 'second', nested: { b: 3 } });

        expect(await collection.get('r1')).toEqual({ id: 'r1', title: 'second', nested: { b: 3 } });
      });

      it('treats ids as opaque strings', async () => {
        const collection = newCollection();
        const oddIds = ['with space', 'dotted.id', 'slash/and:colon', 'ünïcödé-🚀', '42', ''];

        for (const id of oddIds) await collection.put({ id, original: id });

        for (const id of oddIds) expect(await collection.get(id)).toEqual({ id, original: id });
      });

      it('getMany returns the documents found, in the order asked, each once, leaving out missing ids', async () => {
        const collection = await collectionWith([{ id: 'a', n: 1 }, { id: 'b', n: 2 }, { id: 'c', n: 3 }]);

        const found = await collection.getMany(['c', 'missing', 'a', 'c']);

        expect(found).toEqual([{ id: 'c', n: 3 }, { id: 'a', n: 1 }]);
      });

      it('getMany of no ids, or on a collection never written, returns nothing', async () => {
        const written = await collectionWith([{ id: 'a' }]);

        expect(await written.getMany([])).toEqual([]);
        expect(await newCollection().getMany(['a'])).toEqual([]);
      });

      it('delete removes the document and leaves the others', async () => {
        const collection = await collectionWith([{ id: 'a' }, { id: 'b' }]);

        await collection.delete('a');

        expect(await collection.get('a')).toBeNull();
        expect(await collection.get('b')).toEqual({ id: 'b' });
      });

      it('delete of a missing document, or in a collection never written, does nothing', async () => {
        const collection = await collectionWith([{ id: 'a' }]);

        await collection.delete('missing');
        await newCollection().delete('missing');

        expect(await collection.count({})).toBe(1);
      });
    });

    describe('update', () => {
      it('$set replaces and adds fields, keeping the others', async () => {
        const collection = await collectionWith([{ id: 'f1', name: 'old', points: 3 }]);

        const result = await collection.update('f1', { $set: { name: 'new', developer: 'ann' } });

        expect(result).toEqual({ matched: true });
        expect(await collection.get('f1')).toEqual({ id: 'f1', name: 'new', points: 3, developer: 'ann' });
      });

      it('$set on dotted paths changes nested fields and creates missing objects', async () => {
        const collection = await collectionWith([{ id: 'f1', owner: { name: 'ann', team: 'core' } }]);

        await collection.update('f1', { $set: { 'owner.name': 'bob', 'stats.builds.failed': 2 } });

        expect(await collection.get('f1')).toEqual({
          id: 'f1',
          owner: { name: 'bob', team: 'core' },
          stats: { builds: { failed: 2 } },
        });
      });

      it('$set stores arrays, objects and null as given', async () => {
        const collection = await collectionWith([{ id: 'f1', tags: ['a'] }]);

        await collection.update('f1', { $set: { tags: ['b', 'c'], meta: { x: [1, { y: null }] }, gone: null } });

        expect(await collection.get('f1')).toEqual({ id: 'f1', tags: ['b', 'c'], meta: { x: [1, { y: null }] }, gone: null });
      });

      it('$unset removes top-level and dotted fields, and ignores missing ones', async () => {
        const collection = await collectionWith([{ id: 'f1', a: 1, b: 2, nested: { keep: 1, drop: 2 } }]);

        await collection.update('f1', { $unset: { a: '', 'nested.drop': '', missing: '', 'nowhere.deep': '' } });

        expect(await collection.get('f1')).toEqual({ id: 'f1', b: 2, nested: { keep: 1 } });
      });

      it('$inc adds to numbers, counts a missing field from zero, and takes negative steps', async () => {
        const collection = await collectionWith([{ id: 'b1', passed: 10, nested: { failed: 1 } }]);

        await collection.update('b1', { $inc: { passed: 5, 'nested.failed': -1, runs: 1 } });

        expect(await collection.get('b1')).toEqual({ id: 'b1', passed: 15, nested: { failed: 0 }, runs: 1 });
      });

      it('$push appends to an array and creates a missing one', async () => {
        const collection = await collectionWith([{ id: 'd1', steps: [10] }]);

        await collection.update('d1', { $push: { steps: 50, 'log.entries': { at: 't1' } } });

        expect(await collection.get('d1')).toEqual({ id: 'd1', steps: [10, 50], log: { entries: [{ at: 't1' }] } });
      });

      it('applies several operators in one update', async () => {
        const collection = await collectionWith([{ id: 'd1', status: 'in_progress', traffic: 10, steps: [10], note: 'x' }]);

        await collection.update('d1', { $set: { status: 'succeeded' }, $inc: { traffic: 90 }, $push: { steps: 100 }, $unset: { note: '' } });

        expect(await collection.get('d1')).toEqual({ id: 'd1', status: 'succeeded', traffic: 100, steps: [10, 100] });
      });

      it('without upsert, a missing document is not matched and not created', async () => {
        const collection = await collectionWith([{ id: 'other' }]);

        const result = await collection.update('missing', { $set: { a: 1 } });

        expect(result).toEqual({ matched: false });
        expect(await collection.get('missing')).toBeNull();
        expect(await collection.count({})).toBe(1);
      });

      it('with upsert, a missing document is created from $set, $inc, $push and $setOnInsert, and is not matched', async () => {
        const collection = newCollection();

        const result = await collection.update(
          'new',
          { $set: { 'owner.name': 'ann' }, $inc: { count: 2 }, $push: { log: 'created' }, $setOnInsert: { createdAt: 't1' } },
          { upsert: true },
        );

        expect(result).toEqual({ matched: false });
        expect(await collection.get('new')).toEqual({ id: 'new', owner: { name: 'ann' }, count: 2, log: ['created'], createdAt: 't1' });
      });

      it('with upsert, an existing document is matched and $setOnInsert leaves it alone', async () => {
        const collection = await collectionWith([{ id: 'old', createdAt: 't0', count: 1 }]);

        const result = await collection.update('old', { $setOnInsert: { createdAt: 't9' }, $inc: { count: 1 } }, { upsert: true });

        expect(result).toEqual({ matched: true });
        expect(await collection.get('old')).toEqual({ id: 'old', createdAt: 't0', count: 2 });
      });
    });

    describe('update with where: compare-and-set', () => {
      it('applies when the stored document matches the condition', async () => {
        const collection = await collectionWith([{ id: 'lease', owner: 'a', expiresAt: 100 }]);

        const result = await collection.update('lease', { $set: { owner: 'b', expiresAt: 200 } }, { where: { owner: 'a', expiresAt: 100 } });

        expect(result).toEqual({ matched: true });
        expect(await collection.get('lease')).toEqual({ id: 'lease', owner: 'b', expiresAt: 200 });
      });

      it('changes nothing when the stored document no longer matches', async () => {
        const collection = await collectionWith([{ id: 'lease', owner: 'b', expiresAt: 200 }]);

        const result = await collection.update('lease', { $set: { owner: 'c', expiresAt: 300 } }, { where: { owner: 'a', expiresAt: 100 } });

        expect(result).toEqual({ matched: false });
        expect(await collection.get('lease')).toEqual({ id: 'lease', owner: 'b', expiresAt: 200 });
      });

      it('matches conditions on null and with comparison operators', async () => {
        const collection = await collectionWith([{ id: 'lease', owner: null, expiresAt: 100 }]);

        expect(await collection.update('lease', { $set: { owner: 'a' } }, { where: { owner: null, expiresAt: { $lt: 50 } } })).toEqual({ matched: false });
        expect(await collection.update('lease', { $set: { owner: 'a' } }, { where: { owner: null, expiresAt: { $lt: 150 } } })).toEqual({ matched: true });
        expect(await collection.get('lease')).toEqual({ id: 'lease', owner: 'a', expiresAt: 100 });
      });

      it('does not match a missing document', async () => {
        const collection = newCollection();

        expect(await collection.update('missing', { $set: { owner: 'a' } }, { where: { owner: null } })).toEqual({ matched: false });
        expect(await collection.get('missing')).toBeNull();
      });

      it.skipIf(options.racesUnsupported !== undefined)('of two concurrent swaps from the same value, exactly one applies', async () => {
        const collection = await collectionWith([{ id: 'lease', owner: 'a', expiresAt: 100 }]);

        const results = await Promise.all(
          ['b', 'c', 'd', 'e'].map((owner) => collection.update('lease', { $set: { owner } }, { where: { owner: 'a', expiresAt: 100 } })),
        );

        expect(results.filter((result) => result.matched)).toHaveLength(1);
      });
    });

    describe('find: filters', () => {
      it.each(filterCases)('%s', async (_description, filter, expectedIds) => {
        const collection = await collectionWith(filterDocs);

        const found = await collection.find(filter);

        expect(sortedIdsOf(found)).toEqual(expectedIds);
      });

      it('returns whole documents', async () => {
        const collection = await collectionWith(filterDocs);

        const found = await collection.find({ 'owner.name': 'ann' });

        expect(found).toEqual([filterDocs[0]]);
      });

      it('finds nothing in a collection never written', async () => {
        expect(await newCollection().find({ status: 'open' })).toEqual([]);
      });
    });

    describe('find: sort and limit', () => {
      const docs: Doc[] = [
        { id: 'p1', status: 'open', points: 5, owner: { level: 2 } },
        { id: 'p2', status: 'closed', points: 8, owner: { level: 1 } },
        { id: 'p3', status: 'open', points: 1, owner: { level: 3 } },
        { id: 'p4', status: 'closed', points: 3, owner: { level: 5 } },
        { id: 'p5', status: 'draft', points: 13, owner: { level: 4 } },
      ];

      it('sorts on one key ascending', async () => {
        const collection = await collectionWith(docs);

        expect(idsOf(await collection.find({}, { sort: [['points', 1]] }))).toEqual(['p3', 'p4', 'p1', 'p2', 'p5']);
      });

      it('sorts on one key descending', async () => {
        const collection = await collectionWith(docs);

        expect(idsOf(await collection.find({}, { sort: [['points', -1]] }))).toEqual(['p5', 'p2', 'p1', 'p4', 'p3']);
      });

      it('sorts on two keys, the second breaking ties of the first, in either direction', async () => {
        const collection = await collectionWith(docs);

        const ascendingThenDescending = await collection.find({}, { sort: [['status', 1], ['points', -1]] });
        const descendingThenAscending = await collection.find({}, { sort: [['status', -1], ['points', 1]] });

        expect(idsOf(ascendingThenDescending)).toEqual(['p2', 'p4', 'p5', 'p1', 'p3']);
        expect(idsOf(descendingThenAscending)).toEqual(['p3', 'p1', 'p5', 'p4', 'p2']);
      });

      it('sorts on a dotted path', async () => {
        const collection = await collectionWith(docs);

        expect(idsOf(await collection.find({}, { sort: [['owner.level', -1]] }))).toEqual(['p4', 'p5', 'p3', 'p1', 'p2']);
      });

      it('sorts on id', async () => {
        const collection = await collectionWith([...docs].reverse());

        expect(idsOf(await collection.find({}, { sort: [['id', 1]] }))).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
        expect(idsOf(await collection.find({}, { sort: [['id', -1]] }))).toEqual(['p5', 'p4', 'p3', 'p2', 'p1']);
      });

      it('limits the result to the first documents in sort order', async () => {
        const collection = await collectionWith(docs);

        expect(idsOf(await collection.find({}, { sort: [['points', -1]], limit: 2 }))).toEqual(['p5', 'p2']);
      });

      it('filters, then sorts, then limits', async () => {
        const collection = await collectionWith(docs);

        const found = await collection.find({ status: { $in: ['open', 'closed'] } }, { sort: [['points', 1]], limit: 3 });

        expect(idsOf(found)).toEqual(['p3', 'p4', 'p1']);
      });

      it('a limit larger than the result returns everything', async () => {
        const collection = await collectionWith(docs);

        expect(await collection.find({}, { limit: 100 })).toHaveLength(docs.length);
      });

      it('a limit of 0 returns nothing', async () => {
        const collection = await collectionWith(docs);

        expect(await collection.find({}, { limit: 0 })).toEqual([]);
      });
    });

    describe('string order matches MongoDB (bytewise)', () => {
      it('sorts ULID-like ids, fixed-width uppercase, in byte order', async () => {
        const collection = await collectionWith(ulidLikeIds.map((id) => ({ id })));

        const ascending = await collection.find({}, { sort: [['id', 1]] });
        const descending = await collection.find({}, { sort: [['id', -1]] });

        expect(idsOf(ascending)).toEqual(binarySorted(ulidLikeIds));
        expect(idsOf(descending)).toEqual(binarySorted(ulidLikeIds).reverse());
      });

      it('compares ULID-like strings in byte order in range filters on fields', async () => {
        const collection = await collectionWith(ulidLikeIds.map((ref, index) => ({ id: `doc-${index}`, ref })));
        const pivot = binarySorted(ulidLikeIds)[3]!;

        const after = await collection.find({ ref: { $gt: pivot } }, { sort: [['ref', 1]] });

        expect(after.map((doc) => doc.ref)).toEqual(binarySorted(ulidLikeIds).slice(4));
      });

      it('orders case and accents bytewise, not by locale', async () => {
        const words = ['b', 'B', 'a', 'A', 'é', 'e', 'Z', '_', '0', 'ab', 'aB'];
        const collection = await collectionWith(words.map((word, index) => ({ id: `w${index}`, word })));

        const sorted = await collection.find({}, { sort: [['word', 1]] });

        expect(sorted.map((doc) => doc.word)).toEqual(binarySorted(words));
      });
    });

    describe('keyset pagination', () => {
      const total = 237;

      async function numberedCollection(): Promise<ReadCollection> {
        const name = newCollectionName();
        await store.ensureIndexes(name, [{ fields: [['seq', -1]] }, { fields: [['kind', 1], ['seq', -1]] }]);
        const collection = store.collection(name);
        const docs = Array.from({ length: total }, (_, index) => ({
          id: `item-${String(index + 1).padStart(4, '0')}`,
          seq: index + 1,
          kind: index % 3 === 0 ? 'special' : 'plain',
        }));
        await collection.bulk(docs.map((doc) => ({ put: doc })));
        return collection;
      }

      async function walkPages(collection: ReadCollection, baseFilter: Filter): Promise<{ seqs: number[]; pages: number }> {
        const seqs: number[] = [];
        let pages = 0;
        let last: number | null = null;
        for (;;) {
          const filter: Filter = last === null ? baseFilter : { ...baseFilter, seq: { $lt: last } };
          const page = await collection.find(filter, { sort: [['seq', -1]], limit: PAGE_SIZE });
          if (page.length === 0) break;
          pages += 1;
          seqs.push(...page.map((doc) => doc.seq as number));
          last = page[page.length - 1]!.seq as number;
          if (page.length < PAGE_SIZE) break;
        }
        return { seqs, pages };
      }

      it('walks every page newest first, with no document repeated and none skipped', async () => {
        const collection = await numberedCollection();

        const { seqs, pages } = await walkPages(collection, {});

        expect(pages).toBe(Math.ceil(total / PAGE_SIZE));
        expect(seqs).toEqual(Array.from({ length: total }, (_, index) => total - index));
      });

      it('walks the pages of a filtered subset the same way', async () => {
        const collection = await numberedCollection();

        const { seqs } = await walkPages(collection, { kind: 'special' });

        const expected = Array.from({ length: total }, (_, index) => total - index).filter((seq) => (seq - 1) % 3 === 0);
        expect(seqs).toEqual(expected);
      });

      it('walks pages keyed on id', async () => {
        const collection = await numberedCollection();
        const seen: string[] = [];
        let last: string | null = null;
        for (;;) {
          const filter: Filter = last === null ? {} : { id: { $lt: last } };
          const page = await collection.find(filter, { sort: [['id', -1]], limit: PAGE_SIZE });
          if (page.length === 0) break;
          seen.push(...idsOf(page));
          last = page[page.length - 1]!.id;
        }

        expect(seen).toHaveLength(total);
        expect(seen).toEqual(binarySorted(seen).reverse());
        expect(new Set(seen).size).toBe(total);
      });
    });

    describe('count', () => {
      it('counts all documents or those matching a filter', async () => {
        const collection = await collectionWith(filterDocs);

        expect(await collection.count({})).toBe(5);
        expect(await collection.count({ status: 'open' })).toBe(2);
        expect(await collection.count({ n: { $gte: 2 }, flag: { $ne: true } })).toBe(3);
        expect(await collection.count({ status: 'nonexistent' })).toBe(0);
      });

      it('counts 0 in a collection never written', async () => {
        expect(await newCollection().count({})).toBe(0);
      });
    });

    describe('writes across collections (writeCollections)', () => {
      it('applies every entry, in order, creating collections never written', async () => {
        const [first, second] = [newCollectionName(), newCollectionName()];
        await store.collection(first).put({ id: 'old', version: 1 });

        await writeCollections(store, [
          { collection: first, ops: [{ put: { id: 'old', version: 2 } }, { insert: { id: 'new' } }] },
          { collection: second, ops: [{ put: { id: 'checkpoint', position: '7' } }] },
          { collection: first, ops: [{ delete: 'new' }] },
        ]);

        expect(await store.collection(first).find({}, { sort: [['id', 1]] })).toEqual([{ id: 'old', version: 2 }]);
        expect(await store.collection(second).get('checkpoint')).toEqual({ id: 'checkpoint', position: '7' });
      });

      it('does nothing with no entries or only empty ones', async () => {
        const name = newCollectionName();

        await writeCollections(store, []);
        await writeCollections(store, [{ collection: name, ops: [] }]);

        expect(await store.collection(name).count({})).toBe(0);
      });

      it('where the store writes them in one transaction, a failing entry leaves every collection as it was', async () => {
        if (!store.bulkWrite) {
          console.warn(`[read store contract: ${adapterName}] no bulkWrite: entries are written one after another, so atomicity is not part of this adapter's contract`);
          return;
        }
        const [documents, checkpoints] = [newCollectionName(), newCollectionName()];
        await store.collection(documents).put({ id: 'taken', version: 1 });

        await expect(
          store.bulkWrite([
            { collection: documents, ops: [{ put: { id: 'changed' } }] },
            { collection: checkpoints, ops: [{ put: { id: 'checkpoint', position: '9' } }] },
            { collection: documents, ops: [{ insert: { id: 'taken', version: 2 } }] },
          ]),
        ).rejects.toThrow();

        expect(await store.collection(documents).find({}, { sort: [['id', 1]] })).toEqual([{ id: 'taken', version: 1 }]);
        expect(await store.collection(checkpoints).count({})).toBe(0);
      });
    });

    describe('bulk', () => {
      it('applies puts and deletes in order, so a later operation on the same id wins', async () => {
        const collection = await collectionWith([{ id: 'kept' }, { id: 'deleted' }]);

        await collection.bulk([
          { put: { id: 'a', version: 1 } },
          { put: { id: 'b', version: 1 } },
          { put: { id: 'a', version: 2 } },
          { delete: 'b' },
          { delete: 'c' },
          { put: { id: 'c', version: 1 } },
          { delete: 'deleted' },
          { put: { id: 'd', version: 1 } },
          { delete: 'd' },
          { put: { id: 'd', version: 2 } },
        ]);

        const all = await collection.find({}, { sort: [['id', 1]] });
        expect(all).toEqual([
          { id: 'a', version: 2 },
          { id: 'c', version: 1 },
          { id: 'd', version: 2 },
          { id: 'kept' },
        ]);
      });

      it('inserts documents that are not stored yet, beside puts and deletes', async () => {
        const collection = await collectionWith([{ id: 'old', version: 1 }]);

        await collection.bulk([{ insert: { id: 'new', version: 1 } }, { put: { id: 'old', version: 2 } }, { insert: { id: 'other', nested: { a: [1, 2] } } }]);

        expect(await collection.find({}, { sort: [['id', 1]] })).toEqual([
          { id: 'new', version: 1 },
          { id: 'old', version: 2 },
          { id: 'other', nested: { a: [1, 2] } },
        ]);
      });

      it('rejects an insert of an id that is already stored, and keeps the stored document', async () => {
        const collection = await collectionWith([{ id: 'taken', version: 1 }]);

        await expect(collection.bulk([{ insert: { id: 'taken', version: 2 } }])).rejects.toThrow();

        expect(await collection.get('taken')).toEqual({ id: 'taken', version: 1 });
      });

      it('does nothing with no operations', async () => {
        const collection = await collectionWith([{ id: 'a' }]);

        await collection.bulk([]);

        expect(await collection.count({})).toBe(1);
      });

      it('writes a large batch', async () => {
        const collection = newCollection();
        const docs = Array.from({ length: 2_000 }, (_, index) => ({ id: `doc-${index}`, index }));

        await collection.bulk(docs.map((doc) => ({ put: doc })));

        expect(await collection.count({})).toBe(2_000);
        expect(await collection.get('doc-1999')).toEqual({ id: 'doc-1999', index: 1999 });
      });
    });

    describe('indexes', () => {
      it('ensureIndexes can be called again with the same indexes, and queries still answer', async () => {
        const name = newCollectionName();
        const indexes: IndexSpec[] = [{ fields: [['status', 1], ['points', -1]] }, { fields: [['owner.level', 1]] }];

        await store.ensureIndexes(name, indexes);
        await store.ensureIndexes(name, indexes);
        const collection = store.collection(name);
        await collection.bulk([
          { put: { id: 'x', status: 'open', points: 1, owner: { level: 1 } } },
          { put: { id: 'y', status: 'open', points: 9, owner: { level: 2 } } },
          { put: { id: 'z', status: 'done', points: 5, owner: { level: 2 } } },
        ]);

        expect(idsOf(await collection.find({ status: 'open' }, { sort: [['points', -1]] }))).toEqual(['y', 'x']);
        expect(sortedIdsOf(await collection.find({ 'owner.level': 2 }))).toEqual(['y', 'z']);
      });

      it('a unique index rejects a second document with the same value, by put, update or bulk', async () => {
        const name = newCollectionName();
        await store.ensureIndexes(name, [{ fields: [['email', 1]], unique: true }]);
        await store.ensureIndexes(name, [{ fields: [['email', 1]], unique: true }]);
        const collection = store.collection(name);
        await collection.put({ id: 'u1', email: 'ann@example.com' });
        await collection.put({ id: 'u2', email: 'bob@example.com' });

        await expect(collection.put({ id: 'u3', email: 'ann@example.com' })).rejects.toThrow();
        await expect(collection.update('u2', { $set: { email: 'ann@example.com' } })).rejects.toThrow();
        await expect(collection.bulk([{ put: { id: 'u4', email: 'bob@example.com' } }])).rejects.toThrow();

        expect(await collection.get('u3')).toBeNull();
        expect(await collection.get('u4')).toBeNull();
        expect(await collection.get('u2')).toEqual({ id: 'u2', email: 'bob@example.com' });
      });

      it('a unique index still lets a document be replaced with its own value', async () => {
        const name = newCollectionName();
        await store.ensureIndexes(name, [{ fields: [['email', 1]], unique: true }]);
        const collection = store.collection(name);
        await collection.put({ id: 'u1', email: 'ann@example.com', name: 'Ann' });

        await collection.put({ id: 'u1', email: 'ann@example.com', name: 'Ann B.' });

        expect(await collection.get('u1')).toEqual({ id: 'u1', email: 'ann@example.com', name: 'Ann B.' });
      });
    });

    describe('collections', () => {
      it('lists a written collection and no longer lists it once dropped', async () => {
        const name = newCollectionName();
        await store.collection(name).put({ id: 'a' });

        expect(await store.listCollections()).toContain(name);

        await store.dropCollection(name);

        expect(await store.listCollections()).not.toContain(name);
      });

      it('dropping a collection deletes its documents', async () => {
        const name = newCollectionName();
        await store.collection(name).bulk([{ put: { id: 'a' } }, { put: { id: 'b' } }]);

        await store.dropCollection(name);

        expect(await store.collection(name).count({})).toBe(0);
        expect(await store.collection(name).get('a')).toBeNull();
      });

      it('a dropped collection can be written again, without its old documents', async () => {
        const name = newCollectionName();
        await store.collection(name).put({ id: 'old' });
        await store.dropCollection(name);

        await store.collection(name).put({ id: 'new' });

        expect(idsOf(await store.collection(name).find({}))).toEqual(['new']);
      });

      it('dropping a collection that does not exist does nothing', async () => {
        await expect(store.dropCollection(newCollectionName())).resolves.toBeUndefined();
      });

      it('keeps collections apart', async () => {
        const first = await collectionWith([{ id: 'same', from: 'first' }]);
        const second = await collectionWith([{ id: 'same', from: 'second' }]);

        expect(await first.get('same')).toEqual({ id: 'same', from: 'first' });
        expect(await second.get('same')).toEqual({ id: 'same', from: 'second' });
      });

      it('ping resolves while the store is reachable', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });
  });
}
