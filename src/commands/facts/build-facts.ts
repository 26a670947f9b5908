import type { AggregateIO } from '../aggregate-io.js';
import type { BuildCommand, BuildFacts, BuildState } from '../../domain/build/index.js';
import { featureState } from './feature-state.js';

/** A build is requested for a feature that exists and is not deleted: request reads it. */
export const buildIO: AggregateIO<BuildState, BuildCommand, BuildFacts> = {
  loadFacts: async (_events, command, _current, read) => (command.type === 'request' ? featureState(read, command.data.featureId) : {}),
};
