import type { CommandBus } from '../commands/command-bus.js';
import type { CommandResult } from '../commands/execute-command.js';
import type { CommandContext } from '../events/metadata.js';
import type { PipelineCommand } from '../domain/pipeline/index.js';

/** Typed pipeline commands, sent through the process's one command bus like every other command. */
export class PipelineCommands {
  constructor(private readonly bus: CommandBus) {}

  execute(id: string, command: PipelineCommand, context: CommandContext): Promise<CommandResult> {
    return this.bus.dispatch({ aggregateType: 'pipeline', id, command, context });
  }
}
