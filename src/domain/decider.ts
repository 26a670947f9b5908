// A decider is the pure heart of an aggregate: no I/O, no clock, no randomness.
// decide(command, state, facts) → events; evolve(state, event) → state.
// Facts about other aggregates (is the requirement approved? did the build pass?) are
// loaded by the command pipeline from the event store and passed in as plain data.

/** An event as the domain sees it: a type and its data. Metadata is the pipeline's concern. */
export interface DomainEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
}

/** A command as the pipeline carries it: its type and its payload (validated at the edge). */
export interface DomainCommand<T extends string = string, D = unknown> {
  type: T;
  data: D;
}

export interface Decider<State, Command, Event extends DomainEvent, Facts = undefined> {
  /** Stream category, e.g. 'feature' for streams named 'feature-<ulid>'. */
  aggregateType: string;
  initialState: State;
  evolve(state: State, event: Event): State;
  /** Returns the events the command produces, or throws a DomainError. */
  decide(command: Command, state: State, facts: Facts): Event[];
}

/** Folds events into a state with the decider's evolve: how every aggregate is rebuilt. */
export function replay<State, Event extends DomainEvent>(
  decider: Pick<Decider<State, never, Event, never>, 'initialState' | 'evolve'>,
  events: readonly Event[],
  from: State = decider.initialState,
): State {
  return events.reduce((state, event) => decider.evolve(state, event), from);
}
