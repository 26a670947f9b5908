import { AggregateNotFoundError, DomainConflictError } from '../errors.js';

/** Every aggregate's state is `{ status: 'none' }` until its first event. */
export interface NoState {
  status: 'none';
}

/** Narrows to the created state, or refuses the command: it targets nothing (404). */
export function requireExisting<Existing extends { status: string }>(
  state: NoState | Existing,
  aggregateType: string,
): Existing {
  if (state.status === 'none') throw new AggregateNotFoundError(aggregateType);
  return state as Existing;
}

/** A creating command runs only once per stream (409). */
export function requireNew(state: { status: string }, aggregateType: string): void {
  if (state.status !== 'none') throw new DomainConflictError(`${aggregateType} already exists`);
}
