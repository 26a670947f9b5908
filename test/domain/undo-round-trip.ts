import { replay, type Decider, type DomainEvent } from '../../src/domain/decider.js';

interface UndoableAggregate<State, Command, Event extends DomainEvent, Facts> {
  decider: Decider<State, Command, Event, Facts>;
  compensate(events: Event[], stateBefore: State, stateNow: State): Event[];
}

/**
 * Runs a command after `history` and compensates it straight away; `redo()` compensates the
 * compensation. The states on the way let a test check that undo restores and redo redoes.
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
  /** Compensates the compensation: undoing the undo. */
  const redo = () => {
    const redoEvents = compensate(compensation, after, undone);
    return { events: redoEvents, state: replay(decider, redoEvents, undone) };
  };
  return { before, events, after, compensation, undone, redo };
}
