import { replay, type Decider, type DomainEvent } from '../../src/domain/decider.js';

interface UndoableAggregate<State, Command, Event extends DomainEvent, Facts> {
  decider: Decider<State, Command, Event, Facts>;
  compensate(events: Event[], stateBefore: State, stateNow: State): Event[];
}

/**
 * Runs a command after `history`, compensates it straight away, then compensates the
 * compensation: the states on the way let a test check that undo restores and redo redoes.
 */
export function undoRoundTrip<State, Command, Event extends DomainEvent, Facts>(
  aggregate: UndoableAggregate<State, Command, Event, Facts>,
  history: Event[],
  command: Command,
  facts?: Facts,
) {
  const { decider, compensate } = aggregate;
  const before = replay(decider, history);
  const events = decider.decide(command, before, facts as Facts);
  const after = replay(decider, events, before);
  const compensation = compensate(events, before, after);
  const undone = replay(decider, compensation, after);
  const redo = compensate(compensation, after, undone);
  const redone = replay(decider, redo, undone);
  return { before, events, after, compensation, undone, redo, redone };
}
