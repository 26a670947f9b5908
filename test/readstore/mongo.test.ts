// The read store contract on MongoDB: MONGODB_URL when set, else the embedded FerretDB
// (test/setup/ferretdb.ts). One database per run of this file, dropped at the end.
import { MongoClient } from 'mongodb';
import { afterAll, describe, inject } from 'vitest';
import { openMongoReadStore } from '../../src/readstore/mongo/index.js';
import { readStoreContract } from '../contracts/read-store.contract.js';

// Undefined when the global setup is not configured: treated like "no server".
const mongodbUrl = inject('mongodbUrl') ?? null;
const serverName = process.env.MONGODB_URL ? 'mongodb (MONGODB_URL)' : 'mongodb (FerretDB)';

const skipReason = 'SKIPPED: FerretDB binary not built: run scripts/build-ferretdb.sh (or set MONGODB_URL)';

if (mongodbUrl === null) {
  console.warn(`read store contract on MongoDB ${skipReason}`);
  // Registers the contract's tests as skipped so the report shows what did not run, and why.
  describe.skip(skipReason, () => {
    readStoreContract(serverName, () => Promise.reject(new Error('no MongoDB server')));
  });
} else {
  const url = mongodbUrl;
  const database = `agent_ledger_contract_${Date.now()}_${process.pid}`;

  readStoreContract(
    serverName,
    async () => {
      const store = await openMongoReadStore({ url, database });
      return { store, cleanup: () => store.close() };
    },
    // MongoDB applies a filtered updateOne atomically; FerretDB's SQLite backend does not.
    process.env.MONGODB_URL ? {} : { racesUnsupported: 'FerretDB (SQLite backend) does not apply a conditional update atomically; set MONGODB_URL to run it' },
  );

  afterAll(async () => {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 2_000 });
    try {
      await client.db(database).dropDatabase();
    } finally {
      await client.close();
    }
  });
}
