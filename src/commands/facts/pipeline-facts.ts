import type { AggregateIO } from '../aggregate-io.js';
import type { PipelineCommand, PipelineFacts, PipelineState } from '../../domain/pipeline/index.js';
import { featureState } from './feature-state.js';

/** A pipeline runs for a feature that exists and is not deleted: start reads it. */
export const pipelineIO: AggregateIO<PipelineState, PipelineCommand, PipelineFacts | undefined> = {
  loadFacts: async (_events, command, _current, read) => (command.type === 'start' ? featureState(read, command.data.featureId) : undefined),
};
