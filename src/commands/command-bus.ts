import type { EventStore } from '../eventstore/port.js';
import type { DomainCommand } from '../domain/decider.js';
import { NotUndoableError } from '../domain/errors.js';
import type { RegisteredAggregate } from './aggregate-io.js';
import { aggregates } from './registry.js';
import { executeCommand, type CommandResult } from './execute-command.js';
import type { CommandContext } from '../events/metadata.js';
import { KeyedLock } from './keyed-lock.js';
import { AggregateCache } from './aggregate-cache.js';
import { streamName } from '../events/stream-names.js';
import { revertFacts } from './facts/revert-facts.js';
import { undoCommand, type UndoTarget } from './undo.js';
import { planCommand, planUndo, type CommandPlan } from './plan.js';
import type { LoadedAggregate } from './load-aggregate.js';

export interface CommandRequest {
  aggregateType: string;
  /**
   * Omitted for creating commands: the new aggregate takes the command's id, so running the same
   * command again targets the same stream and cannot create a second aggregate.
   */
  id?: string;
  command: DomainCommand;
  context: CommandContext;
}

/** The single entry point for every command, from the API, agents or undo. */
export class CommandBus {
  private readonly registered = new Map<string, RegisteredAggregate>();
  /** Commands whose aggregate's I/O gives the same serialization key (see AggregateIO.serializeBy). */
  private readonly bySerializationKey = new KeyedLock();
  /**
   * Commands to one aggregate run one after another in this process: run together they would
   * all decide on the same revision, and all but one would have to load, decide and append again
   * after a version conflict, which wastes the work and can exhaust the retries. Other processes'
   * appends are still caught by the expected revision.
   */
  private readonly perStream = new KeyedLock();
  private readonly cache = new AggregateCache();

  constructor(
    private readonly events: EventStore,
    registered: readonly RegisteredAggregate[] = aggregates,
  ) {
    for (const aggregate of registered) {
      const { name } = aggregate.module;
      if (this.registered.has(name)) throw new Error(`aggregate ${name} is registered twice`);
      this.registered.set(name, aggregate);
    }
  }

  /** The aggregate whose streams are named `<aggregateType>-<id>`. */
  private aggregate(aggregateType: string): RegisteredAggregate {
    const aggregate = this.registered.get(aggregateType);
    if (!aggregate) throw new Error(`unknown aggregate type ${aggregateType}`);
    return aggregate;
  }

  /** Whether the command creates its aggregate (it runs on a missing stream). */
  creates(aggregateType: string, commandType: string): boolean {
    return this.registered.get(aggregateType)?.module.creates.includes(commandType) ?? false;
  }

  async dispatch(request: CommandRequest): Promise<CommandResult> {
    const { module, io } = this.aggregate(request.aggregateType);
    const { command } = request;
    const id = request.id ?? request.context.commandId;
    const execute = () =>
      executeCommand(this.events, module.decider, {
        id,
        command,
        commandType: `${module.name}.${command.type}`,
        context: request.context,
        creates: module.creates.includes(command.type),
        loadFacts: (loaded) => this.loadFacts(request.aggregateType, command, loaded),
        beforeAppend: async (facts, metadata) => io.beforeAppend?.(this.events, command, id, facts, metadata),
        cache: this.cache,
      });
    // A new id is this command's alone: nothing to queue behind.
    const run = request.id === undefined ? execute : () => this.perStream.run(streamName(module.name, id), execute);
    const key = io.serializeBy?.(command);
    return key === undefined ? run() : this.bySerializationKey.run(key, run);
  }

  /** Undoes an earlier command: queued behind the other commands to its aggregate, like they are. */
  async undo(target: UndoTarget, context: CommandContext): Promise<CommandResult> {
    const registered = this.registered.get(target.aggregateType);
    // Records outside the domain's aggregates (CI deliveries, webhook subscriptions) have no compensation.
    if (!registered) throw new NotUndoableError(target.aggregateType, `${target.aggregateType} commands cannot be undone`);
    const { module } = registered;
    const stream = streamName(module.name, target.aggregateId);
    return this.perStream.run(stream, () => undoCommand(this.events, module, target, context, this.cache));
  }

  /** What dispatch would append, decided on the aggregate as it is now; appends nothing (a dry run). */
  async plan(request: { aggregateType: string; id: string; command: DomainCommand }): Promise<CommandPlan> {
    const { module } = this.aggregate(request.aggregateType);
    return planCommand(this.events, module, request.id, request.command, (loaded) => this.loadFacts(request.aggregateType, request.command, loaded));
  }

  /** The compensating events undo would append, with the same refusals; appends nothing. */
  async planUndo(target: UndoTarget): Promise<CommandPlan> {
    const registered = this.registered.get(target.aggregateType);
    if (!registered) throw new NotUndoableError(target.aggregateType, `${target.aggregateType} commands cannot be undone`);
    return planUndo(this.events, registered.module, target);
  }

  private loadFacts(aggregateType: string, command: DomainCommand, loaded: LoadedAggregate<unknown>): Promise<unknown> {
    const { module, io } = this.aggregate(aggregateType);
    const toRevision = module.revert?.toRevision(command);
    if (module.revert && toRevision !== undefined) return Promise.resolve(module.revert.facts(revertFacts(module.decider, loaded, toRevision)));
    return io.loadFacts?.(this.events, command, loaded) ?? Promise.resolve(undefined);
  }
}
