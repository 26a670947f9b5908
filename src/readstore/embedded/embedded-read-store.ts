// The embedded read store: documents in a SQLite file in DATA_DIR, no server needed.
import type { CollectionWrite, IndexSpec, ReadCollection, ReadStore } from '../port.js';
import { openDocumentDatabase, type DocumentDatabase } from './document-database.js';
import { EmbeddedReadCollection } from './embedded-read-collection.js';
import { checkedCollectionName } from './names.js';
import { compileCreateIndex } from './query-sql.js';

export interface EmbeddedReadStoreOptions {
  /** The SQLite file, e.g. `${DATA_DIR}/read-models.sqlite`; its folder is created if needed. */
  file: string;
}

/** Throws BackendUnavailableError when the file cannot be opened as a database. */
export function openEmbeddedReadStore(options: EmbeddedReadStoreOptions): ReadStore {
  return new EmbeddedReadStore(openDocumentDatabase(options.file));
}

class EmbeddedReadStore implements ReadStore {
  constructor(private readonly database: DocumentDatabase) {}

  collection(name: string): ReadCollection {
    return new EmbeddedReadCollection(this.database, checkedCollectionName(name));
  }

  async ensureIndexes(collection: string, indexes: IndexSpec[]): Promise<void> {
    checkedCollectionName(collection);
    const statements = indexes.flatMap((spec) => compileCreateIndex(collection, spec) ?? []);
    this.database.writeCreating(collection, () => statements.forEach((sql) => this.database.exec(sql)));
  }

  /** One SQLite transaction for every collection's operations. */
  async bulkWrite(writes: CollectionWrite[]): Promise<void> {
    const names = writes.map((write) => checkedCollectionName(write.collection));
    const steps = writes.map((write, index) => new EmbeddedReadCollection(this.database, names[index]!).prepare(write.ops));
    this.database.writeCreatingAll([...new Set(names)], () => steps.forEach((step) => step()));
  }

  async dropCollection(name: string): Promise<void> {
    this.database.dropTable(checkedCollectionName(name));
  }

  async listCollections(): Promise<string[]> {
    return this.database.listCollections();
  }

  async ping(): Promise<void> {
    this.database.ping();
  }

  async close(): Promise<void> {
    await this.database.close();
  }
}
