// One read model collection in the embedded store: a table of (id, doc JSON text).
import type { BulkOp, Doc, Filter, FindOptions, ReadCollection, Update, UpdateOptions } from '../port.js';
import { applyUpdate } from './apply-update.js';
import type { DocumentDatabase } from './document-database.js';
import { quoteIdentifier, tableName } from './names.js';
import { compileCount, compileFind } from './query-sql.js';
import { compileFilter } from './filter-sql.js';

interface DocRow {
  id: string;
  doc: string;
}

type BulkRow = { kind: 'put' | 'insert'; id: string; json: string } | { kind: 'delete'; id: string };

export class EmbeddedReadCollection implements ReadCollection {
  private readonly table: string;

  constructor(
    private readonly database: DocumentDatabase,
    private readonly name: string,
  ) {
    this.table = quoteIdentifier(tableName(name));
  }

  async get(id: string): Promise<Doc | null> {
    return this.database.read(null, () => {
      const row = this.selectById().get(id) as DocRow | undefined;
      return row ? parseDoc(row) : null;
    });
  }

  /** Found documents in the order of `ids`, each once; missing ids are left out. */
  async getMany(ids: string[]): Promise<Doc[]> {
    if (ids.length === 0) return [];
    const rows = this.database.read([], () => {
      const sql = `SELECT id, doc FROM ${this.table} WHERE id IN (SELECT value FROM json_each(?))`;
      return this.database.statement(sql).all(JSON.stringify(ids)) as DocRow[];
    });
    const byId = new Map(rows.map((row) => [row.id, parseDoc(row)]));
    return [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<Doc[]> {
    const query = compileFind(this.name, filter, options);
    if (options.limit === 0) return [];
    return this.database.read([], () => (this.database.statement(query.sql).all(...query.params) as DocRow[]).map(parseDoc));
  }

  async count(filter: Filter): Promise<number> {
    const query = compileCount(this.name, filter);
    return this.database.read(0, () => (this.database.statement(query.sql).get(...query.params) as { count: number }).count);
  }

  async put(doc: Doc): Promise<void> {
    const json = serialise(doc);
    this.database.writeCreating(this.name, () => this.upsert().run(doc.id, json));
  }

  async update(id: string, update: Update, options: UpdateOptions = {}): Promise<{ matched: boolean }> {
    if (options.where && options.upsert) throw new Error('update: where and upsert do not combine');
    const work = () => {
      const row = (options.where ? this.selectByIdWhere(options.where, id) : this.selectById().get(id)) as DocRow | undefined;
      if (!row && !options.upsert) return { matched: false };
      const updated = applyUpdate(row ? parseDoc(row) : null, id, update);
      this.upsert().run(id, JSON.stringify(updated));
      return { matched: row !== undefined };
    };
    // Without upsert a missing collection has nothing to match, and is not created.
    return options.upsert ? this.database.writeCreating(this.name, work) : this.database.writeExisting({ matched: false }, work);
  }

  async delete(id: string): Promise<void> {
    this.database.writeExisting(undefined, () => this.deleteById().run(id));
  }

  /** One transaction: all operations apply, in order, or none does. */
  async bulk(ops: BulkOp[]): Promise<void> {
    if (ops.length === 0) return;
    const rows = bulkRows(ops);
    this.database.writeCreating(this.name, () => this.applyRows(rows));
  }

  /** The operations as rows, serialised before any transaction: a bad document then touches nothing. */
  prepare(ops: BulkOp[]): () => void {
    const rows = bulkRows(ops);
    return () => this.applyRows(rows);
  }

  /** Inside the caller's write transaction. */
  private applyRows(rows: BulkRow[]): void {
    const upsert = this.upsert();
    const insert = this.insert();
    const deleteById = this.deleteById();
    for (const row of rows) {
      if (row.kind === 'put') upsert.run(row.id, row.json);
      else if (row.kind === 'insert') insert.run(row.id, row.json);
      else deleteById.run(row.id);
    }
  }

  /** Read and written in the same IMMEDIATE transaction: no other process writes in between. */
  private selectByIdWhere(where: Filter, id: string): DocRow | undefined {
    const condition = compileFilter(where);
    const sql = `SELECT id, doc FROM ${this.table} WHERE id = ? AND (${condition.sql})`;
    return this.database.statement(sql).get(id, ...condition.params) as DocRow | undefined;
  }

  private selectById() {
    return this.database.statement(`SELECT id, doc FROM ${this.table} WHERE id = ?`);
  }

  /** Not INSERT OR REPLACE: that would silently delete another document on a unique index clash. */
  private upsert() {
    return this.database.statement(`INSERT INTO ${this.table} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`);
  }

  /** A plain INSERT: the primary key rejects an id that is already stored. */
  private insert() {
    return this.database.statement(`INSERT INTO ${this.table} (id, doc) VALUES (?, ?)`);
  }

  private deleteById() {
    return this.database.statement(`DELETE FROM ${this.table} WHERE id = ?`);
  }
}

function bulkRows(ops: BulkOp[]): BulkRow[] {
  return ops.map((op): BulkRow => {
    if ('put' in op) return { kind: 'put', id: op.put.id, json: serialise(op.put) };
    if ('insert' in op) return { kind: 'insert', id: op.insert.id, json: serialise(op.insert) };
    return { kind: 'delete', id: op.delete };
  });
}

function parseDoc(row: DocRow): Doc {
  return JSON.parse(row.doc) as Doc;
}

function serialise(doc: Doc): string {
  if (typeof doc?.id !== 'string') throw new Error('a document needs a string id');
  return JSON.stringify(doc);
}
