import type { EventStore } from '../../eventstore/port.js';
import { featureDecider, type FeatureState } from '../../domain/feature/index.js';
import { loadAggregate } from '../load-aggregate.js';

/** The current state of the feature a build or a pipeline is for, read from its stream. */
export async function featureState(events: EventStore, featureId: string): Promise<{ feature: FeatureState }> {
  return { feature: (await loadAggregate(events, featureDecider, featureId)).state };
}
