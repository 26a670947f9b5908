import type { z } from 'zod';
import type { Decider, DomainCommand, DomainEvent } from './decider.js';
import type { RevertFacts } from './shared/revert.js';

/**
 * How an aggregate reverts: which commands are reverts, and the facts its decider reads for one.
 * The pipeline replays the stream up to the revision and hands the state at it to `facts`.
 */
export interface RevertSupport<State, Command, Facts> {
  /** The revision `command` returns the aggregate to, or undefined when it is not a revert. */
  toRevision(command: Command): number | undefined;
  facts(atRevision: Required<RevertFacts<State>>): Facts;
}

/**
 * Everything the rest of the system knows about one aggregate. The command bus, undo, revert,
 * time travel, history and the HTTP routes all work from this object, so an aggregate is added
 * by writing its folder and listing its module once (src/commands/registry.ts).
 *
 * The defaults make `AggregateModule` the type of any aggregate's module: a list holds several,
 * each checked against its own types by `defineAggregate`.
 */
export interface AggregateModule<
  State = unknown,
  Command extends DomainCommand = DomainCommand,
  Event extends DomainEvent = DomainEvent,
  Facts = unknown,
> {
  /** The stream category (streams are `<name>-<id>`), taken from the decider. */
  readonly name: string;
  readonly decider: Decider<State, Command, Event, Facts>;
  /** The union of the aggregate's commands, `{ type, data }`, as a client may send them. */
  readonly commandSchema: z.ZodType<Command>;
  /** The union of the aggregate's events as recorded. */
  readonly eventSchema: z.ZodType<Event>;
  /** Command types that create the aggregate: they run on a missing stream, every other one answers 404 there. */
  readonly creates: readonly Command['type'][];
  /** The state fields an event sets: undo is refused when a later command set the same ones. */
  touchedFields(event: Event): string[];
  /** The events that take back a command which appended `events` (throws when it cannot be undone). */
  compensate(events: Event[], stateBefore: State, stateNow: State): Event[];
  readonly revert?: RevertSupport<State, Command, Facts>;
  /**
   * The shape of the state `evolve` builds (1 when omitted). Raise it whenever evolve or the
   * state changes: snapshots taken with another version are then ignored and rebuilt from events.
   */
  readonly stateVersion?: number;
}

/** An aggregate's module, checked against its own state, command, event and fact types. */
export function defineAggregate<State, Command extends DomainCommand, Event extends DomainEvent, Facts>(
  module: Omit<AggregateModule<State, Command, Event, Facts>, 'name'>,
): AggregateModule<State, Command, Event, Facts> {
  return { name: module.decider.aggregateType, ...module };
}
