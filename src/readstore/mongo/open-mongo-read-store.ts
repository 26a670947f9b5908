// The MongoDB read store adapter (production). Works on MongoDB 6+ standalone or replica
// sets and on FerretDB: no transactions, no renameCollection.
import { MongoClient, type Db } from 'mongodb';
import type { IndexSpec, ReadCollection, ReadStore } from '../port.js';
import { guarded } from './backend-errors.js';
import { clientOptionsFor, databaseInUrl, DEFAULT_DATABASE } from './connection-options.js';
import type { StoredDocument } from './field-names.js';
import { toIndexDescriptions } from './index-specs.js';
import { MongoReadCollection } from './mongo-read-collection.js';

export interface MongoReadStoreOptions {
  /** A MongoDB connection string, usually MONGODB_URL. */
  url: string;
  /** Default: the database in the URL's path, else `agent_ledger`. */
  database?: string;
}

/** Same rule as the embedded store, so a name valid on one is valid on the other. */
const COLLECTION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function checkedCollectionName(name: string): string {
  if (!COLLECTION_NAME.test(name) || name.startsWith('system.')) {
    throw new Error(`invalid collection name ${JSON.stringify(name)}: use letters, digits, '_', '.' and '-'`);
  }
  return name;
}

function createClient(url: string): MongoClient {
  try {
    return new MongoClient(url, clientOptionsFor(url));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`MONGODB_URL is not a valid MongoDB connection string: ${reason}`, { cause: error });
  }
}

/**
 * Opens the store without waiting for the server: the driver connects on first use and
 * reconnects by itself, and an unreachable server surfaces as BackendUnavailableError
 * from ping() or from any operation.
 */
export async function openMongoReadStore(options: MongoReadStoreOptions): Promise<ReadStore> {
  const client = createClient(options.url);
  const db = client.db(options.database ?? databaseInUrl(options.url) ?? DEFAULT_DATABASE);
  return new MongoReadStore(client, db);
}

class MongoReadStore implements ReadStore {
  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  collection(name: string): ReadCollection {
    return new MongoReadCollection(this.db.collection<StoredDocument>(checkedCollectionName(name)));
  }

  ensureIndexes(collection: string, indexes: IndexSpec[]): Promise<void> {
    const descriptions = toIndexDescriptions(indexes);
    const name = checkedCollectionName(collection);
    return guarded(async () => {
      // Same name, keys and options as last time: the server treats the request as a no-op.
      // One index per command: FerretDB 1.24 crashes the connection when a single
      // createIndexes command names two or more indexes that already exist.
      for (const description of descriptions) {
        await this.db.collection(name).createIndexes([description]);
      }
    });
  }

  dropCollection(name: string): Promise<void> {
    const checked = checkedCollectionName(name);
    // The driver already ignores "namespace not found".
    return guarded(async () => {
      await this.db.dropCollection(checked);
    });
  }

  listCollections(): Promise<string[]> {
    return guarded(async () => {
      const collections = await this.db.listCollections({}, { nameOnly: true }).toArray();
      return collections
        .map((collection) => collection.name)
        .filter((name) => !name.startsWith('system.'))
        .sort();
    });
  }

  ping(): Promise<void> {
    return guarded(async () => {
      await this.db.command({ ping: 1 });
    });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
