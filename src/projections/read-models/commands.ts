import { projectionOfEveryEvent } from '../projection.js';

interface RecordedEventRef {
  type: string;
  revision: number;
  position: string;
}

/**
 * The command log: one document per command that appended events, with the events, and the
 * links between a command and the undo that compensated it (`undoOf` / `undoneBy`).
 */
export const commandsProjection = projectionOfEveryEvent({
  name: 'commands',
  version: 1,
  collections: { commands: [{ fields: [['actor', 1], ['id', -1]] }, { fields: [['aggregateId', 1], ['id', -1]] }] },
  async handle(event, context) {
    const { metadata: meta, aggregateType, aggregateId } = event;
    const commandId = meta.commandId;
    // Environment reservations are bookkeeping of a deployment start, not the command's aggregate.
    if (!commandId || aggregateType === 'environment') return;
    const ref: RecordedEventRef = { type: event.type, revision: event.revision, position: event.position.toString() };
    await context.update('commands', commandId, (doc) => ({
      id: commandId,
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
      await context.update('commands', meta.undoOf, (doc) => (doc ? { ...doc, undoneBy: commandId } : null));
    }
  },
});
