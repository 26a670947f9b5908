import { replay } from '../../src/domain/decider.js';
import { existingFeatureStateSchema, featureDecider, type FeatureEvent } from '../../src/domain/feature/index.js';
import { REQUIREMENT_ID } from './fixtures.js';
import { requirementAfter, approved as requirementApproved, captured as requirementCaptured } from './requirement.fixtures.js';

export const approvedRequirement = requirementAfter([requirementCaptured, requirementApproved]);
export const pendingRequirement = requirementAfter([requirementCaptured]);

export const created = {
  type: 'FeatureCreated',
  data: { requirementId: REQUIREMENT_ID, name: 'Login', complexityPoints: 5, developer: 'alice' },
} satisfies FeatureEvent;

export const renamed = {
  type: 'FeatureUpdated',
  data: { changes: { name: 'SSO login' }, previous: { name: 'Login' } },
} satisfies FeatureEvent;

export const reassigned = {
  type: 'FeatureUpdated',
  data: { changes: { developer: 'bob' }, previous: { developer: 'alice' } },
} satisfies FeatureEvent;

export const deleted = { type: 'FeatureDeleted', data: { name: 'Login' } } satisfies FeatureEvent;
export const restored = { type: 'FeatureRestored', data: { name: 'Login' } } satisfies FeatureEvent;

/** The state after `events`, which must include the creation. */
export function featureAfter(events: FeatureEvent[]) {
  return existingFeatureStateSchema.parse(replay(featureDecider, events));
}
