import type { EventStore } from '../eventstore/port.js';
import type { DomainEvent } from '../domain/decider.js';
import { AggregateNotFoundError } from '../domain/errors.js';
import { aggregateHandlers, type AnyCommand } from './aggregates.js';
import { loadAggregate } from './load-aggregate.js';
import { undoFacts, type UndoTarget } from './undo.js';

/** What a command would append, decided on the aggregate as it is now: nothing is appended. */
export interface CommandPlan {
  aggregateType: string;
  id: string;
  /** The revision the plan was decided on. */
  revision: number;
  events: DomainEvent[];
}

function handlerOf(aggregateType: string) {
  const handler = aggregateHandlers[aggregateType];
  if (!handler) throw new Error(`unknown aggregate type ${aggregateType}`);
  return handler;
}

/** The events a command on an existing aggregate would append (a preview, e.g. of a revert). */
export async function planCommand(events: EventStore, aggregateType: string, id: string, command: AnyCommand): Promise<CommandPlan> {
  const handler = handlerOf(aggregateType);
  const loaded = await loadAggregate(events, handler.decider, id);
  if (loaded.revision < 0) throw new AggregateNotFoundError(aggregateType, id);
  const facts = await handler.loadFacts(events, command, loaded);
  return { aggregateType, id, revision: loaded.revision, events: handler.decider.decide(command, loaded.state, facts) };
}

/** The compensating events an undo would append, with the same 409 / 422 an undo would answer. */
export async function planUndo(events: EventStore, target: UndoTarget): Promise<CommandPlan> {
  const handler = handlerOf(target.aggregateType);
  const loaded = await loadAggregate(events, handler.decider, target.aggregateId);
  const facts = undoFacts(handler, loaded, target.commandId);
  return {
    aggregateType: target.aggregateType,
    id: target.aggregateId,
    revision: loaded.revision,
    events: handler.compensate(facts.undone, facts.stateBefore, loaded.state),
  };
}
