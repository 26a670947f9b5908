import type { EventStore } from '../eventstore/port.js';
import type { AggregateModule } from '../domain/aggregate.js';
import type { DomainCommand, DomainEvent } from '../domain/decider.js';
import { AggregateNotFoundError } from '../domain/errors.js';
import { loadAggregate, type LoadedAggregate } from './load-aggregate.js';
import { undoFacts, type UndoTarget } from './undo.js';

/** What a command would append, decided on the aggregate as it is now: nothing is appended. */
export interface CommandPlan {
  aggregateType: string;
  id: string;
  /** The revision the plan was decided on. */
  revision: number;
  events: DomainEvent[];
}

/** The events a command on an existing aggregate would append (a preview, e.g. of a revert). */
export async function planCommand(
  events: EventStore,
  aggregate: AggregateModule,
  id: string,
  command: DomainCommand,
  loadFacts: (loaded: LoadedAggregate<unknown>) => Promise<unknown>,
): Promise<CommandPlan> {
  const loaded = await loadAggregate(events, aggregate.decider, id);
  if (loaded.revision < 0) throw new AggregateNotFoundError(aggregate.name, id);
  const facts = await loadFacts(loaded);
  return { aggregateType: aggregate.name, id, revision: loaded.revision, events: aggregate.decider.decide(command, loaded.state, facts) };
}

/** The compensating events an undo would append, with the same 409 / 422 an undo would answer. */
export async function planUndo(events: EventStore, aggregate: AggregateModule, target: UndoTarget): Promise<CommandPlan> {
  const loaded = await loadAggregate(events, aggregate.decider, target.aggregateId);
  const facts = undoFacts(aggregate, loaded, target.commandId);
  return {
    aggregateType: aggregate.name,
    id: target.aggregateId,
    revision: loaded.revision,
    events: aggregate.compensate(facts.undone, facts.stateBefore, loaded.state),
  };
}
