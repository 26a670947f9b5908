import type { EventStore } from '../eventstore/port.js';
import type { AggregateModule } from '../domain/aggregate.js';
import type { DomainCommand, DomainEvent } from '../domain/decider.js';
import type { EventMetadata } from '../events/metadata.js';
import type { CurrentAggregate, StateReader } from './load-current.js';

/**
 * The part of an aggregate that reads or writes other streams, so it cannot live in src/domain.
 * Every method is optional: an aggregate that needs none of them is registered with its module alone.
 */
export interface AggregateIO<State, Command, Facts> {
  /**
   * Facts about other aggregates, read from the event store (never from read models); `read`
   * answers an aggregate's current state through the pipeline's cache.
   */
  loadFacts?(events: EventStore, command: Command, current: CurrentAggregate<State>, read: StateReader): Promise<Facts>;
  /**
   * Commands with the same key run one at a time in this process: a rule that spans aggregates
   * (one deployment in progress per environment) cannot be guarded by one stream's revision.
   */
  serializeBy?(command: Command): string | undefined;
  /**
   * Runs after the decision and before its events are appended; a WrongExpectedRevisionError
   * makes the command decide again. Deployment starts reserve their environment here.
   */
  beforeAppend?(events: EventStore, command: Command, id: string, facts: Facts, metadata: EventMetadata): Promise<void>;
}

/** An aggregate as the command pipeline runs it: its domain module and its I/O. */
export interface RegisteredAggregate {
  readonly module: AggregateModule;
  readonly io: AggregateIO<unknown, DomainCommand, unknown>;
}

/**
 * Pairs a module with its I/O, checking that both speak of the same state and commands, and that
 * the facts loaded are the ones its decider reads. Without I/O the decider is given no facts, so
 * its facts type must allow `undefined`. The loaded facts may carry more than the decider reads
 * (a deployment start's reservation revision, which only `beforeAppend` uses).
 */
export function registerAggregate<State, Command extends DomainCommand, Event extends DomainEvent, Facts>(
  module: AggregateModule<State, Command, Event, Facts | undefined>,
): RegisteredAggregate;
export function registerAggregate<State, Command extends DomainCommand, Event extends DomainEvent, Facts, LoadedFacts extends Facts>(
  module: AggregateModule<State, Command, Event, Facts>,
  io: AggregateIO<State, Command, LoadedFacts>,
): RegisteredAggregate;
export function registerAggregate(module: AggregateModule, io: AggregateIO<unknown, DomainCommand, unknown> = {}): RegisteredAggregate {
  return { module, io };
}
