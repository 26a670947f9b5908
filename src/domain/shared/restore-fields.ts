/**
 * The current state with `fields` put back to their earlier values. Undo restores only what the
 * undone command changed, so later changes to other fields survive it.
 */
export function restoreFields<State extends object>(now: State, before: State, fields: readonly string[]): State {
  const restored: Record<string, unknown> = { ...(now as Record<string, unknown>) };
  const earlier = before as Record<string, unknown>;
  for (const field of fields) restored[field] = earlier[field];
  return restored as State;
}
