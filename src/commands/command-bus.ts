import type { EventStore } from '../eventstore/port.js';
import { aggregateHandlers, type AnyCommand } from './aggregates.js';
import { executeCommand, type CommandResult } from './execute-command.js';
import type { CommandContext } from '../events/metadata.js';
import { KeyedLock } from './keyed-lock.js';
import { AggregateCache } from './aggregate-cache.js';
import { streamName } from '../events/stream-names.js';

export interface CommandRequest {
  aggregateType: string;
  /**
   * Omitted for creating commands: the new aggregate takes the command's id, so running the same
   * command again targets the same stream and cannot create a second aggregate.
   */
  id?: string;
  command: AnyCommand;
  context: CommandContext;
}

/** The single entry point for every command, from the API, agents or undo. */
export class CommandBus {
  private readonly lock = new KeyedLock();
  /**
   * Commands to one aggregate run one after another in this process: run together they would
   * all decide on the same revision, and all but one would load, decide and append again after
   * a version conflict (under load, some ran out of attempts). Other processes' appends are still
   * caught by the expected revision.
   */
  private readonly perStream = new KeyedLock();
  private readonly cache = new AggregateCache();

  constructor(private readonly events: EventStore) {}

  async dispatch(request: CommandRequest): Promise<CommandResult> {
    const handler = aggregateHandlers[request.aggregateType];
    if (!handler) throw new Error(`unknown aggregate type ${request.aggregateType}`);
    const creates = handler.creates.includes(request.command.type);
    const id = request.id ?? request.context.commandId;
    const execute = () => executeCommand(this.events, handler.decider, {
      id,
      command: request.command,
      commandType: `${request.aggregateType}.${request.command.type}`,
      context: request.context,
      creates,
      loadFacts: (loaded) => handler.loadFacts(this.events, request.command, loaded),
      beforeAppend: handler.beforeAppend && ((facts, metadata) => handler.beforeAppend!(this.events, request.command, id, facts, metadata)),
      cache: this.cache,
    });
    // A new id is this command's alone: nothing to queue behind.
    const run = request.id === undefined ? execute : () => this.perStream.run(streamName(request.aggregateType, id), execute);
    const key = handler.serializeBy?.(request.command);
    return key === undefined ? run() : this.lock.run(key, run);
  }
}
