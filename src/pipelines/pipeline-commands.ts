import type { EventStore } from '../eventstore/port.js';
import { executeCommand, type CommandResult } from '../commands/execute-command.js';
import { loadAggregate, type LoadedAggregate } from '../commands/load-aggregate.js';
import type { AggregateHandler } from '../commands/aggregates.js';
import type { CommandContext } from '../commands/metadata.js';
import { featureDecider } from '../domain/feature/index.js';
import type { PipelineCommand } from './commands.js';
import { compensate, pipelineDecider, touchedFields, type PipelineFacts } from './decider.js';
import type { PipelineState } from './state.js';

const CREATES = ['start'] as const;

async function loadPipelineFacts(events: EventStore, command: { type: string; data: unknown }): Promise<PipelineFacts | undefined> {
  if (command.type !== 'start') return undefined;
  const { featureId } = command.data as { featureId: string };
  return { feature: (await loadAggregate(events, featureDecider, featureId)).state };
}

/** The pipeline aggregate in the shape the command bus registers aggregates. */
export const pipelineHandler: AggregateHandler = {
  decider: pipelineDecider as AggregateHandler['decider'],
  creates: CREATES,
  loadFacts: (events, command) => loadPipelineFacts(events, command),
  touchedFields: touchedFields as AggregateHandler['touchedFields'],
  compensate: compensate as AggregateHandler['compensate'],
};

/**
 * Runs pipeline commands through the command pipeline (load by replay → decide → append with
 * the expected revision), exactly as the command bus runs the other aggregates' commands.
 */
export class PipelineCommands {
  constructor(private readonly events: EventStore) {}

  execute(id: string, command: PipelineCommand, context: CommandContext): Promise<CommandResult> {
    return executeCommand(this.events, pipelineDecider, {
      id,
      command,
      commandType: `pipeline.${command.type}`,
      context,
      creates: (CREATES as readonly string[]).includes(command.type),
      loadFacts: (_loaded: LoadedAggregate<PipelineState>) => loadPipelineFacts(this.events, command),
    });
  }
}
