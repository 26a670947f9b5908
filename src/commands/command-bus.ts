import type { EventStore } from '../eventstore/port.js';
import type { DomainCommand } from '../domain/decider.js';
import { NotUndoableError } from '../domain/errors.js';
import type { AggregateModule } from '../domain/aggregate.js';
import type { RegisteredAggregate } from './aggregate-io.js';
import { aggregates } from './registry.js';
import { executeCommand, type CommandResult } from './execute-command.js';
import { executeBatch, type Outcome, type QueuedCommand } from './execute-batch.js';
import type { CommandContext } from '../events/metadata.js';
import { KeyedLock } from './keyed-lock.js';
import { AggregateCache } from './aggregate-cache.js';
import { currentOf, loadCurrent, type CurrentSources, type StateReader } from './load-current.js';
import type { SnapshotStore } from './snapshots.js';
import { streamName } from '../events/stream-names.js';
import { revertFacts } from './facts/revert-facts.js';
import { undoCommand, type UndoTarget } from './undo.js';
import { planCommand, planUndo, type CommandPlan } from './plan.js';
import type { LoadedAggregate } from './load-aggregate.js';
import type { Context } from '@opentelemetry/api';
import { traceCommand } from './command-span.js';

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

export interface CommandBusOptions {
  /** Where aggregate snapshots are kept; without one every process starts from the streams. */
  snapshots?: SnapshotStore;
  /** Snapshot a stream each time it passes a multiple of this many events (SNAPSHOT_EVERY). */
  snapshotEvery?: number;
}

interface Waiting {
  queued: QueuedCommand;
  settle(outcome: Outcome): void;
}

/** The single entry point for every command, from the API, agents or undo. */
export class CommandBus {
  private readonly registered = new Map<string, RegisteredAggregate>();
  /** Commands whose aggregate's I/O gives the same serialization key (see AggregateIO.serializeBy). */
  private readonly bySerializationKey = new KeyedLock();
  /**
   * Work on one aggregate runs one step after another in this process: run together, commands
   * would all decide on the same revision and all but one would have to decide again after a
   * version conflict. Other processes' appends are still caught by the expected revision.
   */
  private readonly perStream = new KeyedLock();
  /** Commands waiting for their stream's next step: they are decided and appended together. */
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly cache = new AggregateCache();
  private readonly snapshotWrites = new Set<Promise<void>>();

  constructor(
    private readonly events: EventStore,
    registered: readonly RegisteredAggregate[] = aggregates,
    private readonly options: CommandBusOptions = {},
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
    const { module } = this.aggregate(request.aggregateType);
    return traceCommand(`${module.name}.${request.command.type}`, request.context, (context, trace) => this.run(module, { ...request, context }, trace));
  }

  private async run(module: AggregateModule, request: CommandRequest, trace: Context): Promise<CommandResult> {
    const { io } = this.aggregate(request.aggregateType);
    const { command } = request;
    const id = request.id ?? request.context.commandId;
    const stream = streamName(module.name, id);
    const queued: QueuedCommand = {
      command,
      commandType: `${module.name}.${command.type}`,
      context: request.context,
      trace,
      creates: module.creates.includes(command.type),
      loadFacts: async (current) => io.loadFacts?.(this.events, command, current, this.read),
      beforeAppend: async (facts, metadata) => io.beforeAppend?.(this.events, command, id, facts, metadata),
    };
    const toRevision = module.revert?.toRevision(command);
    if (module.revert && toRevision !== undefined) {
      // A revert folds the stream up to a revision, so it loads the whole stream and runs alone.
      const { revert } = module;
      return this.perStream.run(stream, () =>
        executeCommand(this.events, module.decider, {
          id,
          ...queued,
          loadFacts: async (loaded) => revert.facts(revertFacts(module.decider, loaded, toRevision)),
        }),
      );
    }
    const key = io.serializeBy?.(command);
    if (key !== undefined) {
      return this.bySerializationKey.run(key, () => this.perStream.run(stream, async () => settled((await this.runTogether(module, id, [queued]))[0]!)));
    }
    // A new id is this command's alone: nothing to queue behind, and no snapshot to look for.
    if (request.id === undefined) return settled((await this.runTogether(module, id, [queued], { snapshots: undefined }))[0]!);
    return new Promise<Outcome>((settle) => this.enqueue(module, id, stream, { queued, settle })).then(settled);
  }

  /** Undoes an earlier command: queued behind the other commands to its aggregate, like they are. */
  async undo(target: UndoTarget, context: CommandContext): Promise<CommandResult> {
    const registered = this.registered.get(target.aggregateType);
    // Records outside the domain's aggregates (CI deliveries, webhook subscriptions) have no compensation.
    if (!registered) throw new NotUndoableError(target.aggregateType, `${target.aggregateType} commands cannot be undone`);
    const { module } = registered;
    const stream = streamName(module.name, target.aggregateId);
    return traceCommand(`${module.name}.undo`, context, (traced) => this.perStream.run(stream, () => undoCommand(this.events, module, target, traced)));
  }

  /** Resolves once every snapshot write started so far has settled. */
  async snapshotsWritten(): Promise<void> {
    await Promise.all([...this.snapshotWrites]);
  }

  /** Another aggregate's current state, for a command's facts: through the same cache and snapshots. */
  private readonly read: StateReader = (decider, id) => loadCurrent(this.events, decider, id, this.sources(this.registered.get(decider.aggregateType)?.module));

  private sources(module: AggregateModule | undefined): CurrentSources {
    return {
      cache: this.cache,
      snapshots: module ? this.options.snapshots : undefined,
      stateVersion: module?.stateVersion ?? 1,
      snapshotEvery: this.options.snapshotEvery,
      writing: this.snapshotWrites,
    };
  }

  /**
   * Adds the command to its stream's waiting list; the first command of a list schedules one step
   * behind the stream's current work, and that step takes every command waiting by then.
   */
  private enqueue(module: AggregateModule, id: string, stream: string, entry: Waiting): void {
    const list = this.waiting.get(stream);
    if (list) {
      list.push(entry);
      return;
    }
    this.waiting.set(stream, [entry]);
    void this.perStream.run(stream, async () => {
      const batch = this.waiting.get(stream)!;
      this.waiting.delete(stream);
      const outcomes = await this.runTogether(module, id, batch.map((waiting) => waiting.queued)).catch((error: unknown) =>
        batch.map((): Outcome => ({ ok: false, error })),
      );
      outcomes.forEach((outcome, index) => batch[index]!.settle(outcome));
    });
  }

  /** One batch, and after a version conflict each command again on its own with the retries. */
  private async runTogether(module: AggregateModule, id: string, queued: QueuedCommand[], sources: Partial<CurrentSources> = {}): Promise<Outcome[]> {
    const outcomes = await executeBatch(this.events, module.decider, id, queued, { ...this.sources(module), ...sources });
    if (outcomes !== 'conflict') return outcomes;
    const alone: Outcome[] = [];
    for (const entry of queued) {
      alone.push(
        await executeCommand(this.events, module.decider, { id, ...entry, loadFacts: (loaded) => entry.loadFacts(currentOf(loaded)) }).then(
          (result): Outcome => ({ ok: true, result }),
          (error: unknown): Outcome => ({ ok: false, error }),
        ),
      );
    }
    return alone;
  }

  /** What dispatch would append, decided on the aggregate as it is now; appends nothing (a dry run). */
  async plan(request: { aggregateType: string; id: string; command: DomainCommand }): Promise<CommandPlan> {
    const { module } = this.aggregate(request.aggregateType);
    return planCommand(this.events, module, request.id, request.command, (loaded) => this.planFacts(request.aggregateType, request.command, loaded));
  }

  /** The compensating events undo would append, with the same refusals; appends nothing. */
  async planUndo(target: UndoTarget): Promise<CommandPlan> {
    const registered = this.registered.get(target.aggregateType);
    if (!registered) throw new NotUndoableError(target.aggregateType, `${target.aggregateType} commands cannot be undone`);
    return planUndo(this.events, registered.module, target);
  }

  /** The facts a command would be decided with, on the aggregate a dry run loaded whole. */
  private async planFacts(aggregateType: string, command: DomainCommand, loaded: LoadedAggregate<unknown>): Promise<unknown> {
    const { module, io } = this.aggregate(aggregateType);
    const toRevision = module.revert?.toRevision(command);
    if (module.revert && toRevision !== undefined) return module.revert.facts(revertFacts(module.decider, loaded, toRevision));
    if (!io.loadFacts) return undefined;
    const current = await loadCurrent(this.events, module.decider, loaded.id, this.sources(module));
    return io.loadFacts(this.events, command, current, this.read);
  }
}

function settled(outcome: Outcome): CommandResult {
  if (outcome.ok) return outcome.result;
  throw outcome.error;
}
