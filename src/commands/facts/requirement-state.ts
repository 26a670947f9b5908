import type { EventStore } from '../../eventstore/port.js';
import { requirementDecider, type RequirementState } from '../../domain/requirement/index.js';
import { loadAggregate } from '../load-aggregate.js';

/** The current state of the requirement a feature implements, read from its stream. */
export async function requirementState(events: EventStore, requirementId: string): Promise<{ requirement: RequirementState }> {
  return { requirement: (await loadAggregate(events, requirementDecider, requirementId)).state };
}
