/** What an update event records: the new values, and the old values of exactly those fields. */
export interface ChangeSet<Fields> {
  changes: Partial<Fields>;
  previous: Partial<Fields>;
}

/** The change set of an update given as a partial payload (absent fields are left alone). */
export function changeSet<Fields extends object>(given: Partial<Fields>, current: Fields): ChangeSet<Fields> {
  const changes: Record<string, unknown> = {};
  const previous: Record<string, unknown> = {};
  const currentValues = current as Record<string, unknown>;
  for (const [field, value] of Object.entries(given)) {
    if (value === undefined) continue;
    changes[field] = value;
    previous[field] = currentValues[field];
  }
  return { changes: changes as Partial<Fields>, previous: previous as Partial<Fields> };
}

/** The fields of a partial payload whose values differ from the current ones (plain JSON data). */
export function changedFields<Fields extends object>(given: Partial<Fields>, current: Fields): Partial<Fields> {
  const currentValues = current as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(given).filter(([field, value]) => value !== undefined && JSON.stringify(value) !== JSON.stringify(currentValues[field])),
  ) as Partial<Fields>;
}
