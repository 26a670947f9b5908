import type { EventStore, StoredEvent } from '../eventstore/port.js';
import type { AggregateModule } from '../domain/aggregate.js';
import type { DomainEvent } from '../domain/decider.js';
import { DomainConflictError } from '../domain/errors.js';
import { executeCommand, type CommandResult } from './execute-command.js';
import type { LoadedAggregate } from './load-aggregate.js';
import type { CommandContext } from '../events/metadata.js';
import { readMetadata } from '../events/metadata.js';

/** Where an earlier command's events are: found in the command log. */
export interface UndoTarget {
  commandId: string;
  aggregateType: string;
  aggregateId: string;
}

/** A later command changed what the undone command changed (HTTP 409, naming those commands). */
export class UndoConflictError extends DomainConflictError {
  constructor(
    readonly commandId: string,
    readonly conflictingCommands: string[],
    readonly fields: string[],
  ) {
    super(`command ${commandId} cannot be undone: later command(s) ${conflictingCommands.join(', ')} changed ${fields.join(', ')}`);
    this.name = 'UndoConflictError';
  }
}

export interface UndoFacts {
  undone: DomainEvent[];
  stateBefore: unknown;
}

/**
 * Undo is a command like any other: it replays the stream, checks that no later command touched
 * the same fields, and appends the compensating events the domain gives, with `undoOf` set.
 * Undoing an undo compensates the compensation, which redoes the original.
 * Run it through CommandBus.undo, which queues it with the aggregate's other commands.
 */
export async function undoCommand(
  events: EventStore,
  aggregate: AggregateModule,
  target: UndoTarget,
  context: CommandContext,
): Promise<CommandResult> {
  const { decider } = aggregate;
  return executeCommand(
    events,
    {
      ...decider,
      decide: (_command: unknown, stateNow: unknown, facts: UndoFacts) => aggregate.compensate(facts.undone, facts.stateBefore, stateNow),
    },
    {
      id: target.aggregateId,
      command: { type: 'undo', data: { commandId: target.commandId } },
      commandType: `${aggregate.name}.undo`,
      context: { ...context, undoOf: target.commandId, causationId: target.commandId },
      loadFacts: async (loaded: LoadedAggregate<unknown>): Promise<UndoFacts> => undoFacts(aggregate, loaded, target.commandId),
    },
  );
}

export function undoFacts(aggregate: AggregateModule, loaded: LoadedAggregate<unknown>, commandId: string): UndoFacts {
  const ofCommand = (event: StoredEvent) => readMetadata(event.metadata).commandId === commandId;
  const first = loaded.events.findIndex(ofCommand);
  if (first < 0) throw new DomainConflictError(`command ${commandId} appended nothing to this stream`);
  const undoneStored = loaded.events.filter(ofCommand);
  const lastRevision = undoneStored[undoneStored.length - 1]!.revision;
  const undone = undoneStored.map(toDomain);

  let stateBefore = aggregate.decider.initialState;
  for (const event of loaded.events.slice(0, first)) stateBefore = aggregate.decider.evolve(stateBefore, toDomain(event));

  const touched = new Set(undone.flatMap((event) => aggregate.touchedFields(event)));
  const conflicts = new Map<string, Set<string>>();
  for (const later of loaded.events.filter((event) => event.revision > lastRevision)) {
    const overlap = aggregate.touchedFields(toDomain(later)).filter((field) => touched.has(field));
    if (overlap.length === 0) continue;
    const laterCommand = readMetadata(later.metadata).commandId ?? `event ${later.id}`;
    const fields = conflicts.get(laterCommand) ?? new Set();
    overlap.forEach((field) => fields.add(field));
    conflicts.set(laterCommand, fields);
  }
  if (conflicts.size > 0) {
    const fields = [...new Set([...conflicts.values()].flatMap((set) => [...set]))];
    throw new UndoConflictError(commandId, [...conflicts.keys()], fields);
  }
  return { undone, stateBefore };
}

function toDomain(event: StoredEvent): DomainEvent {
  return { type: event.type, data: event.data };
}
