// SQL for finds, counts and indexes. ORDER BY and CREATE INDEX share one function for
// their terms, so a sort on indexed fields is written exactly as the index was and SQLite
// can walk the index instead of sorting.
// Known differences from MongoDB, harmless for read models that keep one type per field:
// sorting across types follows SQLite (missing/null, numbers with booleans as 0/1, then
// strings with objects as JSON text), not BSON order; and a unique index lets several
// documents lack the field, where MongoDB allows only one.
import type { Filter, FindOptions, IndexSpec, Sort } from '../port.js';
import { compileFilter, type SqlCondition } from './filter-sql.js';
import { fieldSql, quoteIdentifier, tableName } from './names.js';

interface SqlQuery {
  sql: string;
  params: SqlCondition['params'];
}

/**
 * Ties are broken by id, in the direction of the last key, so pages are deterministic;
 * indexes end with the same id term, so the tiebreak costs no sort either.
 */
function orderTerms(sort: Sort, withIdTiebreak: boolean): string[] {
  const terms = sort.map(([path, direction]) => `${fieldSql(path).value} ${direction === -1 ? 'DESC' : 'ASC'}`);
  const last = sort[sort.length - 1];
  if (withIdTiebreak && last && !sort.some(([path]) => path === 'id')) {
    terms.push(`id ${last[1] === -1 ? 'DESC' : 'ASC'}`);
  }
  return terms;
}

export function compileFind(collection: string, filter: Filter, options: FindOptions = {}): SqlQuery {
  const where = compileFilter(filter);
  const order = orderTerms(options.sort ?? [], true);
  const params = [...where.params];
  let sql = `SELECT doc FROM ${quoteIdentifier(tableName(collection))} WHERE ${where.sql}`;
  if (order.length > 0) sql += ` ORDER BY ${order.join(', ')}`;
  if (options.limit !== undefined) {
    sql += ' LIMIT ?';
    params.push(checkedLimit(options.limit));
  }
  return { sql, params };
}

export function compileCount(collection: string, filter: Filter): SqlQuery {
  const where = compileFilter(filter);
  return { sql: `SELECT count(*) AS count FROM ${quoteIdentifier(tableName(collection))} WHERE ${where.sql}`, params: where.params };
}

function checkedLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`invalid limit ${limit}: use a whole number ≥ 0`);
  return limit;
}

/** e.g. `ix_status_1_createdAt_-1`, `ux_email_1`, like the MongoDB adapter's index names. */
function indexName(collection: string, spec: IndexSpec): string {
  const keys = spec.fields.map(([path, direction]) => `${path}_${direction}`).join('_');
  return `index:${collection}:${spec.unique ? 'ux' : 'ix'}_${keys}`;
}

/** Null for an index on id alone: the primary key already is one. */
export function compileCreateIndex(collection: string, spec: IndexSpec): string | null {
  if (spec.fields.length === 0) throw new Error('an index needs at least one field');
  if (spec.fields.length === 1 && spec.fields[0]![0] === 'id') return null;
  // A unique index must not end with id: every (value, id) pair is unique.
  const terms = orderTerms(spec.fields, !spec.unique);
  const unique = spec.unique ? 'UNIQUE ' : '';
  return (
    `CREATE ${unique}INDEX IF NOT EXISTS ${quoteIdentifier(indexName(collection, spec))} ` +
    `ON ${quoteIdentifier(tableName(collection))} (${terms.join(', ')})`
  );
}
