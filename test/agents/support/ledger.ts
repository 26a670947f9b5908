import { ulid } from 'ulid';
import { CommandBus } from '../../../src/commands/command-bus.js';
import type { CommandResult } from '../../../src/commands/execute-command.js';
import type { EventStore, StoredEvent } from '../../../src/eventstore/port.js';

/** Commands as a person would send them through the API, straight to the command bus. */
export function ledger(events: EventStore) {
  const bus = new CommandBus(events);
  const send = (aggregateType: string, type: string, data: unknown, id?: string, correlationId?: string): Promise<CommandResult> => {
    const commandId = ulid();
    return bus.dispatch({
      aggregateType,
      id,
      command: { type, data },
      context: { actor: 'alice', actorRole: 'engineer', commandId, correlationId: correlationId ?? commandId, causationId: commandId },
    });
  };
  return {
    bus,
    send,
    async approvedRequirement(acceptanceCriteria: string[]): Promise<string> {
      const { id } = await send('requirement', 'capture', { title: 'Search', description: '', priority: 'medium', acceptanceCriteria });
      await send('requirement', 'approve', {}, id);
      return id;
    },
    async feature(requirementId: string, correlationId?: string): Promise<string> {
      return (await send('feature', 'create', { requirementId, name: 'Search box', complexityPoints: 3, developer: 'lee' }, undefined, correlationId)).id;
    },
    /** The events of one stream, as an agent would receive them from the log. */
    async stream(name: string): Promise<StoredEvent[]> {
      return events.readStream(name);
    },
  };
}
