import type { EventStore } from '../eventstore/port.js';
import { CommandBus } from '../commands/command-bus.js';
import type { CommandResult } from '../commands/execute-command.js';
import type { CommandContext } from '../commands/metadata.js';
import type { PipelineCommand } from '../domain/pipeline/index.js';

/** Pipeline commands go through the command bus like every other aggregate's. */
export class PipelineCommands {
  private readonly bus: CommandBus;

  constructor(events: EventStore) {
    this.bus = new CommandBus(events);
  }

  execute(id: string, command: PipelineCommand, context: CommandContext): Promise<CommandResult> {
    return this.bus.dispatch({ aggregateType: 'pipeline', id, command, context });
  }
}
