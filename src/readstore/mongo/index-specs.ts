// Turns the port's IndexSpec into MongoDB index descriptions with deterministic names,
// so that declaring the same indexes on every start is a no-op.
import type { IndexDescription } from 'mongodb';
import type { IndexSpec } from '../port.js';
import { toMongoField } from './field-names.js';

/** e.g. `ix_status_1_createdAt_-1`, `ux_email_1`: the name says the keys and uniqueness. */
function indexName(spec: IndexSpec): string {
  const keys = spec.fields.map(([field, direction]) => `${toMongoField(field)}_${direction}`).join('_');
  return `${spec.unique ? 'ux' : 'ix'}_${keys}`;
}

/** `_id` is always indexed and unique: an index on it alone is already there. */
function isPrimaryKeyOnly(spec: IndexSpec): boolean {
  return spec.fields.length === 1 && toMongoField(spec.fields[0]![0]) === '_id';
}

export function toIndexDescriptions(specs: IndexSpec[]): IndexDescription[] {
  for (const spec of specs) {
    if (spec.fields.length === 0) throw new Error('an index needs at least one field');
  }
  return specs
    .filter((spec) => !isPrimaryKeyOnly(spec))
    .map((spec) => ({
      key: Object.fromEntries(spec.fields.map(([field, direction]) => [toMongoField(field), direction])),
      name: indexName(spec),
      ...(spec.unique ? { unique: true } : {}),
    }));
}
