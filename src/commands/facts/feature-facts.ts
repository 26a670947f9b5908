import type { AggregateIO } from '../aggregate-io.js';
import type { FeatureCommand, FeatureFacts, FeatureState } from '../../domain/feature/index.js';
import { requirementState } from './requirement-state.js';

/** A feature is created for an approved requirement: create reads that requirement. */
export const featureIO: AggregateIO<FeatureState, FeatureCommand, FeatureFacts> = {
  loadFacts: async (_events, command, _current, read) => (command.type === 'create' ? requirementState(read, command.data.requirementId) : {}),
};
