import { describe, expect, it } from 'vitest';
import { AggregateNotFoundError, DomainConflictError, DomainRuleError } from '../../src/domain/errors.js';
import { featureCommandSchema, featureDecider, featureEventSchema, type FeatureCommand } from '../../src/domain/feature/index.js';
import { initialRequirementState } from '../../src/domain/requirement/index.js';
import { scenario } from './given-when-then.js';
import { approvedRequirement, created, deleted, pendingRequirement, renamed } from './feature.fixtures.js';
import { requirementAfter, captured as requirementCaptured, rejected as requirementRejected } from './requirement.fixtures.js';

const given = scenario(featureDecider, { commands: featureCommandSchema, events: featureEventSchema });
const create: FeatureCommand = { type: 'create', data: created.data };

describe('feature: create', () => {
  it('given an approved requirement, when a feature is created, then FeatureCreated carries everything about it', () => {
    const state = given([]).when(create, { requirement: approvedRequirement }).then([created]);
    expect(state).toEqual({ status: 'active', ...created.data });
  });

  it('given a requirement that does not exist, when a feature is created, then the rule refuses it', () => {
    given([]).when(create, { requirement: initialRequirementState }).thenThrows(DomainRuleError, /requirement does not exist/);
  });

  it.each([
    ['captured', pendingRequirement],
    ['rejected', requirementAfter([requirementCaptured, requirementRejected])],
  ])('given a %s requirement, when a feature is created, then the rule refuses it', (status, requirement) => {
    given([]).when(create, { requirement }).thenThrows(DomainRuleError, new RegExp(`must be approved.*it is ${status}`));
  });

  it('given an existing feature, when created again, then it conflicts', () => {
    given([created]).when(create, { requirement: approvedRequirement }).thenThrows(DomainConflictError, /already exists/);
  });

  it('given a pipeline that did not load the requirement, when created, then it fails loudly', () => {
    given([]).when(create).thenThrows(Error, /feature\.create command needs facts\.requirement/);
  });
});

describe('feature: commands before creation', () => {
  const commandsNeedingAFeature: FeatureCommand[] = [
    { type: 'update', data: { name: 'x' } },
    { type: 'delete', data: {} },
    { type: 'revert', data: { toRevision: 0 } },
  ];
  it.each(commandsNeedingAFeature)('given nothing, when $type, then the feature is not found', (command) => {
    given([]).when(command).thenThrows(AggregateNotFoundError, /feature not found/);
  });
});

describe('feature: update', () => {
  it('given a feature, when an update repeats its current values, then nothing is recorded', () => {
    given([created]).when({ type: 'update', data: { complexityPoints: 5 } }).then([]);
    given([created]).when({ type: 'update', data: { name: 'Login', developer: 'alice' } }).then([]);
  });

  it('given a feature, when an update repeats one value and changes another, then only the change is recorded', () => {
    given([created]).when({ type: 'update', data: { name: 'SSO login', complexityPoints: 5 } }).then([renamed]);
  });

  it('given a feature, when renamed, then FeatureUpdated holds the new and the previous name', () => {
    const state = given([created]).when({ type: 'update', data: { name: 'SSO login' } }).then([renamed]);
    expect(state).toEqual({ status: 'active', ...created.data, name: 'SSO login' });
  });

  it('given a feature, when several fields change, then only those are recorded', () => {
    given([created])
      .when({ type: 'update', data: { complexityPoints: 8, developer: 'bob' } })
      .then([
        {
          type: 'FeatureUpdated',
          data: { changes: { complexityPoints: 8, developer: 'bob' }, previous: { complexityPoints: 5, developer: 'alice' } },
        },
      ]);
  });

  it('given a deleted feature, when updated, then the rule refuses it', () => {
    given([created, deleted]).when({ type: 'update', data: { name: 'x' } }).thenThrows(DomainRuleError, /deleted feature takes no update/);
  });
});

describe('feature: delete', () => {
  it('given a feature, when deleted, then FeatureDeleted names it and the feature keeps its fields', () => {
    const state = given([created]).when({ type: 'delete', data: {} }).then([deleted]);
    expect(state).toEqual({ status: 'deleted', ...created.data });
  });

  it('given a renamed feature, when deleted, then FeatureDeleted names it by its current name', () => {
    given([created, renamed]).when({ type: 'delete', data: {} }).then([{ type: 'FeatureDeleted', data: { name: 'SSO login' } }]);
  });

  it('given a deleted feature, when deleted again, then the rule refuses it', () => {
    given([created, deleted]).when({ type: 'delete', data: {} }).thenThrows(DomainRuleError, /already deleted/);
  });
});
