import { positionKey } from '../../events/positions.js';
import type { IndexSpec } from '../../readstore/port.js';
import { projectionOfEveryEvent } from '../projection.js';
import { summarize } from './audit-summary.js';

// Newest first by position; every filter is an equality on an indexed field plus that sort.
const byField = (field: string): IndexSpec => ({ fields: [[field, 1], ['id', -1]] });

/** The audit timeline: one entry per event, keyed by its log position. */
export const auditProjection = projectionOfEveryEvent({
  name: 'audit',
  version: 1,
  collections: {
    audit: [
      byField('actor'),
      byField('aggregateType'),
      byField('aggregateId'),
      byField('type'),
      byField('correlationId'),
      byField('commandId'),
      { fields: [['at', 1], ['id', -1]] },
    ],
  },
  async handle(event, context) {
    const { aggregateType, aggregateId, metadata: meta } = event;
    const key = positionKey(event.position);
    await context.update('audit', key, () => ({
      id: key,
      position: event.position.toString(),
      at: meta.at ?? event.recordedAt.toISOString(),
      actor: meta.actor ?? 'unknown',
      actorRole: meta.actorRole ?? null,
      aggregateType,
      aggregateId,
      revision: event.revision,
      type: event.type,
      summary: summarize(event, meta.actor ?? 'someone'),
      commandId: meta.commandId ?? null,
      commandType: meta.commandType ?? null,
      correlationId: meta.correlationId ?? null,
      causationId: meta.causationId ?? null,
      undoOf: meta.undoOf ?? null,
    }));
  },
});
