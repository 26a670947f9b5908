import { featureDecider, type FeatureState } from '../../domain/feature/index.js';
import type { StateReader } from '../load-current.js';

/** The current state of the feature a build or a pipeline is for, read at its stream's head. */
export async function featureState(read: StateReader, featureId: string): Promise<{ feature: FeatureState }> {
  return { feature: (await read(featureDecider, featureId)).state };
}
