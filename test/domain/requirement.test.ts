import { describe, expect, it } from 'vitest';
import { AggregateNotFoundError, DomainConflictError, DomainRuleError } from '../../src/domain/errors.js';
import {
  requirementCommandSchema,
  requirementDecider,
  requirementEventSchema,
  type RequirementCommand,
} from '../../src/domain/requirement/index.js';
import { scenario } from './given-when-then.js';
import { approved, captured, rejected, retitled, withdrawn } from './requirement.fixtures.js';

const given = scenario(requirementDecider, { commands: requirementCommandSchema, events: requirementEventSchema });

describe('requirement: capture', () => {
  it('given nothing, when captured, then RequirementCaptured carries the content and the requirement is pending', () => {
    const state = given([])
      .when({ type: 'capture', data: captured.data })
      .then([captured]);
    expect(state).toEqual({ status: 'captured', ...captured.data, rejectionReason: null });
  });

  it('given a captured requirement, when captured again, then it conflicts', () => {
    given([captured]).when({ type: 'capture', data: captured.data }).thenThrows(DomainConflictError, /already exists/);
  });
});

describe('requirement: commands before capture', () => {
  const commandsNeedingARequirement: RequirementCommand[] = [
    { type: 'revise', data: { title: 'x' } },
    { type: 'approve', data: {} },
    { type: 'reject', data: { reason: 'no' } },
    { type: 'revert', data: { toRevision: 0 } },
  ];
  it.each(commandsNeedingARequirement)('given nothing, when $type, then the requirement is not found', (command) => {
    given([]).when(command).thenThrows(AggregateNotFoundError, /requirement not found/);
  });
});

describe('requirement: approve and reject', () => {
  it('given a captured requirement, when approved, then RequirementApproved names it', () => {
    const state = given([captured]).when({ type: 'approve', data: {} }).then([approved]);
    expect(state.status).toBe('approved');
  });

  it('given a captured requirement, when rejected, then RequirementRejected keeps the reason', () => {
    const state = given([captured])
      .when({ type: 'reject', data: { reason: 'Out of scope this quarter' } })
      .then([rejected]);
    expect(state).toMatchObject({ status: 'rejected', rejectionReason: 'Out of scope this quarter' });
  });

  it.each([
    ['approved', [captured, approved]],
    ['rejected', [captured, rejected]],
    ['withdrawn', [captured, withdrawn]],
  ] as const)('given a %s requirement, when approved or rejected, then the rule refuses it', (status, history) => {
    given([...history]).when({ type: 'approve', data: {} }).thenThrows(DomainRuleError, new RegExp(`only a captured.*${status}`));
    given([...history]).when({ type: 'reject', data: { reason: 'no' } }).thenThrows(DomainRuleError, /only a captured/);
  });
});

describe('requirement: revise', () => {
  it('given a captured requirement, when revised, then RequirementRevised holds the new and the previous values', () => {
    const state = given([captured])
      .when({ type: 'revise', data: { title: 'SSO via OIDC' } })
      .then([retitled]);
    expect(state).toMatchObject({ title: 'SSO via OIDC', priority: 'high' });
  });

  it('given a captured requirement, when several fields are revised, then each is recorded with its previous value', () => {
    given([captured])
      .when({ type: 'revise', data: { priority: 'critical', acceptanceCriteria: ['SSO login works'] } })
      .then([
        {
          type: 'RequirementRevised',
          data: {
            changes: { priority: 'critical', acceptanceCriteria: ['SSO login works'] },
            previous: { priority: 'high', acceptanceCriteria: captured.data.acceptanceCriteria },
          },
        },
      ]);
  });

  it('given an approved requirement, when revised, then it changes and stays approved', () => {
    const state = given([captured, approved]).when({ type: 'revise', data: { title: 'SSO via OIDC' } }).then([retitled]);
    expect(state).toMatchObject({ status: 'approved', title: 'SSO via OIDC' });
  });

  it.each([
    ['rejected', [captured, rejected]],
    ['withdrawn', [captured, withdrawn]],
  ] as const)('given a %s requirement, when revised, then the rule refuses it', (status, history) => {
    given([...history])
      .when({ type: 'revise', data: { title: 'Again' } })
      .thenThrows(DomainRuleError, new RegExp(`a ${status} requirement cannot be revised`));
  });
});
