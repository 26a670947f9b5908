import type { Decider, DomainEvent } from '../../domain/decider.js';
import type { LoadedAggregate } from '../load-aggregate.js';

/** The state at `toRevision`, folded from the stream already loaded for the command. */
export function revertFacts<State>(
  decider: Pick<Decider<State, unknown, DomainEvent, unknown>, 'initialState' | 'evolve'>,
  loaded: LoadedAggregate<State>,
  toRevision: number,
): { stateAtRevision: State; currentRevision: number } {
  let state = decider.initialState;
  for (const event of loaded.events) {
    if (event.revision > toRevision) break;
    state = decider.evolve(state, { type: event.type, data: event.data });
  }
  return { stateAtRevision: state, currentRevision: loaded.revision };
}
