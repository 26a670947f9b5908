import { requirementDecider, type RequirementState } from '../../domain/requirement/index.js';
import type { StateReader } from '../load-current.js';

/** The current state of the requirement a feature implements, read at its stream's head. */
export async function requirementState(read: StateReader, requirementId: string): Promise<{ requirement: RequirementState }> {
  return { requirement: (await read(requirementDecider, requirementId)).state };
}
