// The embedded read store: the shared contract, plus what only this adapter promises —
// durability in its file, index use for indexed queries, atomic bulk writes, strict names.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../src/backends/errors.js';
import { openEmbeddedReadStore } from '../../src/readstore/embedded/index.js';
import { compileFind } from '../../src/readstore/embedded/query-sql.js';
import type { Filter, FindOptions, IndexSpec, ReadStore } from '../../src/readstore/port.js';
import { readStoreContract } from '../contracts/read-store.contract.js';

let tempDir: string;

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'agent-ledger-readstore-'));
});

afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

let fileCount = 0;
function newStoreFile(): string {
  fileCount += 1;
  return join(tempDir, `store-${fileCount}`, 'read-models.sqlite');
}

readStoreContract('embedded', async () => {
  const store = openEmbeddedReadStore({ file: newStoreFile() });
  return { store, cleanup: () => store.close() };
});

describe('embedded read store adapter', () => {
  let file: string;
  let store: ReadStore;

  beforeEach(() => {
    file = newStoreFile();
    store = openEmbeddedReadStore({ file });
  });

  afterEach(async () => {
    await store.close();
  });

  describe('durability', () => {
    it('keeps documents, collections and indexes across close and reopen', async () => {
      await store.ensureIndexes('features', [{ fields: [['status', 1]] }]);
      await store.collection('features').bulk([{ put: { id: 'f1', status: 'open' } }, { put: { id: 'f2', status: 'done' } }]);
      await store.collection('features').update('f1', { $set: { status: 'done' } });
      await store.close();

      store = openEmbeddedReadStore({ file });

      expect(await store.listCollections()).toEqual(['features']);
      expect(await store.collection('features').find({ status: 'done' }, { sort: [['id', 1]] })).toEqual([
        { id: 'f1', status: 'done' },
        { id: 'f2', status: 'done' },
      ]);
      expect(indexNamesIn(file)).toContain('index:features:ix_status_1');
    });
  });

  describe('query plans', () => {
    const auditIndexes: IndexSpec[] = [
      { fields: [['position', -1]] },
      { fields: [['actor', 1], ['position', -1]] },
      { fields: [['aggregateType', 1]] },
    ];

    async function planFor(filter: Filter, options: FindOptions): Promise<string[]> {
      await store.ensureIndexes('audit', auditIndexes);
      await store.collection('audit').put({ id: 'e1', actor: 'ann', aggregateType: 'feature', position: 1 });
      const query = compileFind('audit', filter, options);
      const reader = new Database(file, { readonly: true });
      try {
        const rows = reader.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as Array<{ detail: string }>;
        return rows.map((row) => row.detail);
      } finally {
        reader.close();
      }
    }

    it('answers an indexed equality filter plus a sort on the next indexed field from the index, without sorting', async () => {
      const plan = await planFor({ actor: 'ann' }, { sort: [['position', -1]], limit: 50 });

      expect(plan).toEqual(['SEARCH collection:audit USING INDEX index:audit:ix_actor_1_position_-1 (<expr>=?)']);
    });

    it('answers a keyset page (equality, range on the sort key, sort, limit) from the index', async () => {
      const plan = await planFor({ actor: 'ann', position: { $lt: 1000 } }, { sort: [['position', -1]], limit: 50 });

      expect(plan).toEqual(['SEARCH collection:audit USING INDEX index:audit:ix_actor_1_position_-1 (<expr>=? AND <expr><?)']);
    });

    it('answers a sort in the opposite direction of the index by walking it backwards', async () => {
      const plan = await planFor({}, { sort: [['position', 1]], limit: 50 });

      expect(plan).toEqual(['SCAN collection:audit USING INDEX index:audit:ix_position_-1']);
    });

    it('answers an equality filter plus a sort on id from an index on that field alone', async () => {
      const plan = await planFor({ aggregateType: 'feature' }, { sort: [['id', -1]], limit: 50 });

      expect(plan).toEqual(['SEARCH collection:audit USING INDEX index:audit:ix_aggregateType_1 (<expr>=?)']);
    });

    it('sorts in a temporary structure when no index fits, which the tests above would reveal', async () => {
      const plan = await planFor({ actor: 'ann' }, { sort: [['aggregateType', 1]], limit: 50 });

      expect(plan.join('\n')).toContain('USE TEMP B-TREE FOR ORDER BY');
    });
  });

  describe('atomic bulk writes', () => {
    it('applies none of the operations when one of them fails', async () => {
      await store.ensureIndexes('users', [{ fields: [['email', 1]], unique: true }]);
      const users = store.collection('users');
      await users.put({ id: 'u1', email: 'ann@example.com' });

      const bulk = users.bulk([
        { put: { id: 'u2', email: 'bob@example.com' } },
        { delete: 'u1' },
        { put: { id: 'u3', email: 'bob@example.com' } },
      ]);

      await expect(bulk).rejects.toThrow(/UNIQUE/);
      expect(await users.find({}, { sort: [['id', 1]] })).toEqual([{ id: 'u1', email: 'ann@example.com' }]);
    });
  });

  describe('updates', () => {
    it('a refused update changes nothing', async () => {
      const builds = store.collection('builds');
      await builds.put({ id: 'b1', result: 'failed', passed: 3 });

      await expect(builds.update('b1', { $set: { passed: 4 }, $inc: { passed: 1 } })).rejects.toThrow(/conflict/);

      expect(await builds.get('b1')).toEqual({ id: 'b1', result: 'failed', passed: 3 });
    });

    it('an update without upsert does not create the collection, as in MongoDB', async () => {
      await store.collection('features').update('f1', { $set: { a: 1 } });
      await store.collection('features').delete('f1');

      expect(await store.listCollections()).toEqual([]);
    });
  });

  describe('names', () => {
    it.each(['bad name', 'quote"d', "semi;colon'", '$cmd', 'system.users', '', 'slash/ed', 'ünïcode'])(
      'rejects the collection name %j everywhere',
      async (name) => {
        expect(() => store.collection(name)).toThrow(/invalid collection name/);
        await expect(store.ensureIndexes(name, [{ fields: [['a', 1]] }])).rejects.toThrow(/invalid collection name/);
        await expect(store.dropCollection(name)).rejects.toThrow(/invalid collection name/);
      },
    );

    it('accepts names of letters, digits, underscores, dots and hyphens', async () => {
      await store.collection('Features_v2.rebuild-1').put({ id: 'a' });

      expect(await store.listCollections()).toEqual(['Features_v2.rebuild-1']);
    });

    it.each(["a') OR 1=1 --", 'a"b', 'a..b', '.a', 'items.0', 'a b', '$where'])(
      'rejects the field path %j in filters, sorts and indexes',
      async (path) => {
        const collection = store.collection('things');
        await collection.put({ id: 'a' });

        await expect(collection.find({ [path]: 1 })).rejects.toThrow(/unsupported (field path|filter operator)/);
        await expect(collection.find({}, { sort: [[path, 1]] })).rejects.toThrow(/unsupported field path/);
        await expect(store.ensureIndexes('things', [{ fields: [[path, 1]] }])).rejects.toThrow(/unsupported field path/);
      },
    );
  });

  describe('filters outside the port', () => {
    it.each<[string, Filter]>([
      ['$or', { $or: [{ a: 1 }] }],
      ['$regex', { a: { $regex: '^x' } }],
      ['an object value', { a: { nested: 1 } }],
      ['an array value', { a: [1, 2] }],
      ['undefined', { a: undefined }],
      ['a non-array $in', { a: { $in: 'x' } }],
    ])('rejects %s clearly instead of guessing', async (_name, filter) => {
      const collection = store.collection('things');
      await collection.put({ id: 'a', a: 1 });

      await expect(collection.find(filter)).rejects.toThrow(/unsupported|needs an array/);
    });
  });

  describe('availability', () => {
    it('reports a file that cannot be opened as BackendUnavailableError', () => {
      const open = () => openEmbeddedReadStore({ file: tempDir });

      expect(open).toThrow(BackendUnavailableError);
      expect(open).toThrow(/read store unavailable/);
    });

    it('reports a closed store as BackendUnavailableError from ping and from queries', async () => {
      await store.close();

      await expect(store.ping()).rejects.toThrow(BackendUnavailableError);
      await expect(store.collection('features').get('f1')).rejects.toThrow(BackendUnavailableError);
    });

    it('pings an open store', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });

  describe('two connections on one file, as the API and the worker have', () => {
    it('sees the other connection\'s writes, and recreates a collection the other dropped', async () => {
      const other = openEmbeddedReadStore({ file });
      try {
        await store.collection('features').put({ id: 'f1', by: 'first' });
        expect(await other.collection('features').get('f1')).toEqual({ id: 'f1', by: 'first' });

        await other.dropCollection('features');
        await store.collection('features').put({ id: 'f2', by: 'first' });

        expect(await other.collection('features').find({})).toEqual([{ id: 'f2', by: 'first' }]);
      } finally {
        await other.close();
      }
    });
  });
});

function indexNamesIn(file: string): string[] {
  const reader = new Database(file, { readonly: true });
  try {
    const rows = reader.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index'`).all() as Array<{ name: string }>;
    return rows.map((row) => row.name);
  } finally {
    reader.close();
  }
}
