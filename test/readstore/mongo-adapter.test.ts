// What the MongoDB adapter adds beyond the contract: how documents and indexes look on the
// server, and the places where MongoDB's own semantics differ from the port's.
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { ReadStore } from '../../src/readstore/port.js';
import { openMongoReadStore } from '../../src/readstore/mongo/index.js';

// Undefined when the global setup is not configured: treated like "no server".
const mongodbUrl = inject('mongodbUrl') ?? null;
const reason = 'SKIPPED: FerretDB binary not built: run scripts/build-ferretdb.sh (or set MONGODB_URL)';
if (mongodbUrl === null) console.warn(`mongodb read store adapter tests ${reason}`);

describe.skipIf(mongodbUrl === null)(`mongodb read store adapter${mongodbUrl === null ? ` — ${reason}` : ''}`, () => {
  const database = `agent_ledger_adapter_${Date.now()}_${process.pid}`;
  let store: ReadStore;
  let client: MongoClient;
  let raw: Db;
  let collectionName: string;
  let testNumber = 0;

  beforeAll(async () => {
    store = await openMongoReadStore({ url: mongodbUrl!, database });
    client = new MongoClient(mongodbUrl!, { serverSelectionTimeoutMS: 2_000 });
    raw = client.db(database);
  });

  afterAll(async () => {
    await raw?.dropDatabase();
    await client?.close();
    await store?.close();
  });

  beforeEach(() => {
    testNumber += 1;
    collectionName = `adapter_${testNumber}`;
  });

  it('stores the id as MongoDB _id and no separate id field', async () => {
    await store.collection(collectionName).put({ id: 'r-1', title: 'Login', tags: ['auth'] });

    const stored = await raw.collection(collectionName).findOne({});

    expect(stored).toEqual({ _id: 'r-1', title: 'Login', tags: ['auth'] });
  });

  it('filters and sorts on id through _id', async () => {
    const items = store.collection(collectionName);
    await items.bulk([{ put: { id: 'b', n: 1 } }, { put: { id: 'a', n: 1 } }, { put: { id: 'c', n: 2 } }]);

    const found = await items.find({ id: { $in: ['a', 'b'] } }, { sort: [['id', -1]] });

    expect(found.map((doc) => doc.id)).toEqual(['b', 'a']);
  });

  it('names indexes after their keys and uniqueness, and creating them again adds nothing', async () => {
    const indexes = [
      { fields: [['status', 1], ['createdAt', -1]] as Array<[string, 1 | -1]> },
      { fields: [['email', 1]] as Array<[string, 1 | -1]>, unique: true },
      { fields: [['id', 1]] as Array<[string, 1 | -1]> },
    ];

    await store.ensureIndexes(collectionName, indexes);
    await store.ensureIndexes(collectionName, indexes);

    const names = (await raw.collection(collectionName).listIndexes().toArray()).map((index) => index.name).sort();
    expect(names).toEqual(['_id_', 'ix_status_1_createdAt_-1', 'ux_email_1']);
  });

  it('returns getMany results in the order asked, each once, leaving out missing ids', async () => {
    const items = store.collection(collectionName);
    await items.bulk([{ put: { id: 'a' } }, { put: { id: 'b' } }, { put: { id: 'c' } }]);

    const found = await items.getMany(['c', 'missing', 'a', 'c']);

    expect(found.map((doc) => doc.id)).toEqual(['c', 'a']);
  });

  it('reads limit 0 as no documents, not as MongoDB\'s "no limit"', async () => {
    const items = store.collection(collectionName);
    await items.put({ id: 'a' });

    expect(await items.find({}, { limit: 0 })).toEqual([]);
  });

  it('treats an update without operators as a no-op that still reports matched and upserts', async () => {
    const items = store.collection(collectionName);
    await items.put({ id: 'existing', n: 1 });

    const onExisting = await items.update('existing', { $set: {} });
    const onMissing = await items.update('missing', {});
    const upserted = await items.update('created', {}, { upsert: true });

    expect(onExisting).toEqual({ matched: true });
    expect(await items.get('existing')).toEqual({ id: 'existing', n: 1 });
    expect(onMissing).toEqual({ matched: false });
    expect(await items.get('missing')).toBeNull();
    expect(upserted).toEqual({ matched: false });
    expect(await items.get('created')).toEqual({ id: 'created' });
  });

  it('never changes the id through an update', async () => {
    const items = store.collection(collectionName);
    await items.put({ id: 'a', n: 1 });

    await items.update('a', { $set: { id: 'b', n: 2 } });

    expect(await items.get('a')).toEqual({ id: 'a', n: 2 });
    expect(await items.get('b')).toBeNull();
  });

  it('rejects collection names that the embedded store would also reject', () => {
    expect(() => store.collection('bad name')).toThrow(/invalid collection name/);
    expect(() => store.collection('$cmd')).toThrow(/invalid collection name/);
    expect(() => store.collection('system.users')).toThrow(/invalid collection name/);
  });

  it('takes the database from the URL path when none is given', async () => {
    // Swap the URL's path for the database name, keeping hosts and options as they are.
    const url = mongodbUrl!.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]*)(\/[^?]*)?/, `$1/${database}_from_url`);
    const fromUrl = await openMongoReadStore({ url });
    try {
      await fromUrl.collection(collectionName).put({ id: 'a' });

      expect(await client.db(`${database}_from_url`).collection(collectionName).countDocuments()).toBe(1);
    } finally {
      await client.db(`${database}_from_url`).dropDatabase();
      await fromUrl.close();
    }
  });
});
