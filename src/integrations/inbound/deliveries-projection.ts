import { positionKey } from '../../events/positions.js';
import { readMetadata } from '../../events/metadata.js';
import { parseStreamName } from '../../events/stream-names.js';
import type { Projection } from '../../projections/projection.js';
import { CI_DELIVERY_AGGREGATE, ciDeliveryReceivedSchema } from './delivery-record.js';

export const CI_DELIVERIES = 'ci_deliveries';

/** The CI deliveries received, matched or not, for GET /api/integrations/deliveries. */
export const ciDeliveriesProjection: Projection = {
  name: 'ci-deliveries',
  version: 1,
  collections: {
    [CI_DELIVERIES]: [
      { fields: [['position', -1]] },
      { fields: [['status', 1], ['position', -1]] },
      { fields: [['provider', 1], ['position', -1]] },
    ],
  },
  async apply(event, context) {
    if (event.type !== 'CiDeliveryReceived' || !event.streamName.startsWith(`${CI_DELIVERY_AGGREGATE}-`)) return;
    const parsed = ciDeliveryReceivedSchema.safeParse(event.data);
    if (!parsed.success) return;
    const { id } = parseStreamName(event.streamName);
    await context.update(CI_DELIVERIES, id, () => ({
      id,
      ...parsed.data,
      position: positionKey(event.position),
      receivedAt: readMetadata(event.metadata).at ?? event.recordedAt.toISOString(),
      revision: event.revision,
    }));
  },
};
