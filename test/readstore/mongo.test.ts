// The read store contract on MongoDB: MONGODB_URL when set, else the embedded FerretDB
// (test/setup/ferretdb.ts). One database per run of this file, dropped at the end.
import { MongoClient } from 'mongodb';
import { afterAll, describe, inject } from 'vitest';
import { openMongoReadStore } from '../../src/readstore/mongo/index.js';
import { readStoreContract } from '../contracts/read-store.contract.js';

const mongodbUrl = inject('mongodbUrl');
const serverName = process.env.MONGODB_URL ? 'mongodb (MONGODB_URL)' : 'mongodb (FerretDB)';

if (mongodbUrl === null) {
  // Registers the contract's tests as skipped so the report shows what did not run, and why.
  describe.skip('SKIPPED: FerretDB binary not built: run scripts/build-ferretdb.sh (or set MONGODB_URL)', () => {
    readStoreContract(serverName, () => Promise.reject(new Error('no MongoDB server')));
  });
} else {
  const url = mongodbUrl;
  const database = `agent_ledger_contract_${Date.now()}_${process.pid}`;

  readStoreContract(serverName, async () => {
    const store = await openMongoReadStore({ url, database });
    return { store, cleanup: () => store.close() };
  });

  afterAll(async () => {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 2_000 });
    try {
      await client.db(database).dropDatabase();
    } finally {
      await client.close();
    }
  });
}
