// Names that end up inside SQL text. Values are always bound as parameters, but table,
// index and JSON path names cannot be, so each is checked against a strict alphabet and
// quoted, and nothing else ever reaches the SQL text.

/** The same rule as the MongoDB adapter's, so a name valid on one store is valid on the other. */
const COLLECTION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** One segment of a dotted field path. Digit-only segments would mean an array index to MongoDB. */
const FIELD_SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const TABLE_PREFIX = 'collection:';

export function checkedCollectionName(name: string): string {
  if (!COLLECTION_NAME.test(name) || name.startsWith('system.')) {
    throw new Error(`invalid collection name ${JSON.stringify(name)}: use letters, digits, '_', '.' and '-'`);
  }
  return name;
}

export function quoteIdentifier(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** Tables carry a prefix so that a collection can never collide with SQLite's own tables. */
export function tableName(collection: string): string {
  return TABLE_PREFIX + checkedCollectionName(collection);
}

export function collectionOfTable(table: string): string | null {
  return table.startsWith(TABLE_PREFIX) ? table.slice(TABLE_PREFIX.length) : null;
}

function checkedFieldPath(path: string): string {
  if (!path.split('.').every((segment) => FIELD_SEGMENT.test(segment))) {
    throw new Error(`unsupported field path ${JSON.stringify(path)}: use dotted names of letters, digits, '_' and '-'`);
  }
  return path;
}

/** SQL for a field's value and its JSON type; `id` is the key column, always a string. */
export interface FieldSql {
  value: string;
  type: string;
}

export function fieldSql(path: string): FieldSql {
  if (path === 'id') return { value: 'id', type: `'text'` };
  // Inlined rather than bound: an expression index is only used when the query's
  // expression is textually the same as the indexed one.
  const jsonPath = `'$.${checkedFieldPath(path)}'`;
  return { value: `json_extract(doc, ${jsonPath})`, type: `json_type(doc, ${jsonPath})` };
}
