// Compiles the port's Mongo-style filter subset to a SQL condition over json_extract, with
// every value bound as a parameter. The aim is MongoDB's answers, not SQLite's:
// - json_extract returns SQL values: JSON true/false become 1/0, objects and arrays become
//   their JSON text, so comparisons carry a json_type guard wherever those could collide;
// - MongoDB compares values of the same type only ({ $gt: 5 } never matches a string),
//   so range comparisons are guarded by the type of the bound value;
// - a missing field and a JSON null both read as SQL NULL, which is what { field: null } means.
// Fields are treated as scalars: equality does not look inside arrays as MongoDB would.
import type { Filter } from '../port.js';
import { fieldSql, type FieldSql } from './names.js';

type SqlValue = string | number | null;

export interface SqlCondition {
  sql: string;
  params: SqlValue[];
}

type Scalar = string | number | boolean | null;

const ALWAYS = '1';
const NEVER = '0';
const NUMBER_TYPES = `('integer', 'real')`;

const RANGE_OPERATORS = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;
type RangeOperator = keyof typeof RANGE_OPERATORS;

export function compileFilter(filter: Filter): SqlCondition {
  const conditions = Object.entries(filter).map(([path, condition]) => compileField(path, condition));
  if (conditions.length === 0) return { sql: ALWAYS, params: [] };
  return {
    sql: conditions.map((condition) => condition.sql).join(' AND '),
    params: conditions.flatMap((condition) => condition.params),
  };
}

function compileField(path: string, condition: unknown): SqlCondition {
  if (path.startsWith('$')) throw new Error(`unsupported filter operator ${path}`);
  const field = fieldSql(path);
  if (!isOperatorObject(condition)) return equals(field, scalar(path, condition));
  const parts = Object.entries(condition).map(([operator, operand]) => compileOperator(field, path, operator, operand));
  return {
    sql: parts.map((part) => part.sql).join(' AND '),
    params: parts.flatMap((part) => part.params),
  };
}

function compileOperator(field: FieldSql, path: string, operator: string, operand: unknown): SqlCondition {
  switch (operator) {
    case '$eq':
      return equals(field, scalar(path, operand));
    case '$ne':
      return not(equals(field, scalar(path, operand)));
    case '$in':
      return isIn(field, scalarList(path, operator, operand));
    case '$nin':
      return not(isIn(field, scalarList(path, operator, operand)));
    case '$exists':
      return { sql: `${field.type} IS ${operand ? 'NOT NULL' : 'NULL'}`, params: [] };
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return compare(field, operator, scalar(path, operand));
    default:
      throw new Error(`unsupported filter operator ${operator} on ${path}`);
  }
}

function equals(field: FieldSql, value: Scalar): SqlCondition {
  if (value === null) return { sql: `${field.value} IS NULL`, params: [] };
  if (typeof value === 'boolean') {
    return { sql: `(${field.value} = ? AND ${field.type} = '${value}')`, params: [value ? 1 : 0] };
  }
  if (isUnambiguous(value)) return { sql: `${field.value} = ?`, params: [value] };
  const guard = typeof value === 'number' ? `${field.type} IN ${NUMBER_TYPES}` : `${field.type} = 'text'`;
  return { sql: `(${field.value} = ? AND ${guard})`, params: [value] };
}

/**
 * True when no other JSON type can produce the same SQL value: numbers other than 0 and 1
 * (the values of false and true), strings that cannot be an object's or array's JSON text.
 * Leaving the guard out keeps such equalities answerable from an index alone.
 */
function isUnambiguous(value: Scalar): value is string | number {
  if (typeof value === 'number') return value !== 0 && value !== 1;
  if (typeof value === 'string') return !value.startsWith('{') && !value.startsWith('[');
  return false;
}

function isIn(field: FieldSql, values: Scalar[]): SqlCondition {
  const plain = values.filter(isUnambiguous);
  const guarded = values.filter((value) => !isUnambiguous(value));
  const parts: SqlCondition[] = guarded.map((value) => equals(field, value));
  if (plain.length > 0) parts.unshift({ sql: `${field.value} IN (${plain.map(() => '?').join(', ')})`, params: plain });
  if (parts.length === 0) return { sql: NEVER, params: [] };
  return {
    sql: `(${parts.map((part) => part.sql).join(' OR ')})`,
    params: parts.flatMap((part) => part.params),
  };
}

/** MongoDB's negations also match documents where the field is missing, where SQL gives NULL. */
function not(condition: SqlCondition): SqlCondition {
  return { sql: `NOT ifnull(${condition.sql}, 0)`, params: condition.params };
}

function compare(field: FieldSql, operator: RangeOperator, value: Scalar): SqlCondition {
  const sqlOperator = RANGE_OPERATORS[operator];
  if (value === null) {
    // Only null equals null: $gte and $lte match it (and missing fields), $gt and $lt nothing.
    const inclusive = operator === '$gte' || operator === '$lte';
    return inclusive ? { sql: `${field.value} IS NULL`, params: [] } : { sql: NEVER, params: [] };
  }
  if (typeof value === 'boolean') {
    return { sql: `(${field.value} ${sqlOperator} ? AND ${field.type} IN ('true', 'false'))`, params: [value ? 1 : 0] };
  }
  const guard = typeof value === 'number' ? `${field.type} IN ${NUMBER_TYPES}` : `${field.type} = 'text'`;
  return { sql: `(${field.value} ${sqlOperator} ? AND ${guard})`, params: [value] };
}

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => key.startsWith('$'));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function scalar(path: string, value: unknown): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new Error(`unsupported filter value on ${path}: only strings, finite numbers, booleans and null can be compared`);
}

function scalarList(path: string, operator: string, value: unknown): Scalar[] {
  if (!Array.isArray(value)) throw new Error(`${operator} on ${path} needs an array`);
  return value.map((item) => scalar(path, item));
}
