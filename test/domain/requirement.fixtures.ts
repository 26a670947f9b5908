import { replay } from '../../src/domain/decider.js';
import {
  existingRequirementStateSchema,
  requirementDecider,
  type RequirementEvent,
} from '../../src/domain/requirement/index.js';

/** The state after `events`, which must include the capture. */
export function requirementAfter(events: RequirementEvent[]) {
  return existingRequirementStateSchema.parse(replay(requirementDecider, events));
}

export const captured = {
  type: 'RequirementCaptured',
  data: {
    title: 'Single sign-on',
    description: 'Employees sign in with the corporate identity provider.',
    priority: 'high',
    acceptanceCriteria: ['SSO login works', 'Logout ends the SSO session'],
  },
} satisfies RequirementEvent;

export const approved = { type: 'RequirementApproved', data: { title: 'Single sign-on' } } satisfies RequirementEvent;

export const rejected = {
  type: 'RequirementRejected',
  data: { title: 'Single sign-on', reason: 'Out of scope this quarter' },
} satisfies RequirementEvent;

export const withdrawn = { type: 'RequirementWithdrawn', data: { title: 'Single sign-on' } } satisfies RequirementEvent;

export const retitled = {
  type: 'RequirementRevised',
  data: { changes: { title: 'SSO via OIDC' }, previous: { title: 'Single sign-on' } },
} satisfies RequirementEvent;
