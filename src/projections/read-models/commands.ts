import { parseStreamName } from '../../events/stream-names.js';
import { readMetadata } from '../../events/metadata.js';
import type { Projection } from '../projection.js';

interface RecordedEventRef {
  type: string;
  revision: number;
  position: string;
}

/**
 * The command log: one document per command that appended events, with the events, and the
 * links between a command and the undo that compensated it (`undoOf` / `undoneBy`).
 */
export const commandsProjection: Projection = {
  name: 'commands',
  version: 1,
  collections: { commands: [{ fields: [['actor', 1], ['id', -1]] }, { fields: [['aggregateId', 1], ['id', -1]] }] },
  async apply(event, context) {
    const meta = readMetadata(event.metadata);
    // Environment reservations are bookkeeping of a deployment start, not the command's aggregate.
    if (!meta.commandId || event.streamName.startsWith('environment-')) return;
    const { aggregateType, id: aggregateId } = parseStreamName(event.streamName);
    const ref: RecordedEventRef = { type: event.type, revision: event.revision, position: event.position.toString() };
    await context.update('commands', meta.commandId, (doc) => ({
      id: meta.commandId!,
      type: meta.commandType ?? null,
      actor: meta.actor ?? null,
      actorRole: meta.actorRole ?? null,
      at: doc?.at ?? meta.at ?? null,
      aggregateType,
      aggregateId,
      streamName: event.streamName,
      correlationId: meta.correlationId ?? null,
      causationId: meta.causationId ?? null,
      undoOf: meta.undoOf ?? null,
      undoneBy: doc?.undoneBy ?? null,
      events: [...((doc?.events as RecordedEventRef[] | undefined) ?? []), ref],
    }));
    if (meta.undoOf) {
      const undoneBy = meta.commandId;
      await context.update('commands', meta.undoOf, (doc) => (doc ? { ...doc, undoneBy } : null));
    }
  },
};
