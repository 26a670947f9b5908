import type { AggregateIO } from '../aggregate-io.js';
import type { FeatureCommand, FeatureFacts, FeatureState } from '../../domain/feature/index.js';
import { requirementState } from './requirement-state.js';

/** A feature is created for an approved requirement: create reads that requirement. */
export const featureIO: AggregateIO<FeatureState, FeatureCommand, FeatureFacts> = {
  loadFacts: async (events, command) => (command.type === 'create' ? requirementState(events, command.data.requirementId) : {}),
};
