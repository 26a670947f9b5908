import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { replay } from '../../src/domain/decider.js';
import { DomainConflictError, DomainRuleError } from '../../src/domain/errors.js';
import {
  compensate,
  featureCommandSchema,
  featureDecider,
  featureEventSchema,
  touchedFields,
  type FeatureEvent,
} from '../../src/domain/feature/index.js';
import { scenario } from './given-when-then.js';
import { approvedRequirement, created, deleted, featureAfter, reassigned, renamed, restored } from './feature.fixtures.js';
import { undoRoundTrip } from './undo-round-trip.js';

const feature = { decider: featureDecider, compensate };
const given = scenario(featureDecider, { commands: featureCommandSchema, events: featureEventSchema });
const stateOf = (events: FeatureEvent[]) => replay(featureDecider, events);

describe('feature: touched fields', () => {
  const everyField = ['complexityPoints', 'developer', 'name', 'requirementId', 'status'];

  it('a creation and a revert touch every field', () => {
    expect(touchedFields(created).sort()).toEqual(everyField);
    expect(touchedFields({ type: 'FeatureReverted', data: { toRevision: 0, state: featureAfter([created]) } }).sort()).toEqual(
      everyField,
    );
  });

  it('an update touches the keys of its changes', () => {
    expect(touchedFields(renamed)).toEqual(['name']);
  });

  it('delete and restore touch the status', () => {
    expect(touchedFields(deleted)).toEqual(['status']);
    expect(touchedFields(restored)).toEqual(['status']);
  });
});

describe('feature: undo', () => {
  it('undoing a creation deletes the feature; undoing that restores it', () => {
    const run = undoRoundTrip(feature, [], { type: 'create', data: created.data }, { requirement: approvedRequirement });
    expect(run.compensation).toEqual([deleted]);
    expect(run.undone).toEqual({ ...run.after, status: 'deleted' });
    expect(run.redo().events).toEqual([restored]);
    expect(run.redo().state).toEqual(run.after);
  });

  it('undoing an update puts back the previous values of the fields it changed; undoing that redoes it', () => {
    const run = undoRoundTrip(feature, [created], { type: 'update', data: { name: 'SSO login', complexityPoints: 8 } });
    expect(run.compensation).toEqual([
      {
        type: 'FeatureUpdated',
        data: { changes: { name: 'Login', complexityPoints: 5 }, previous: { name: 'SSO login', complexityPoints: 8 } },
      },
    ]);
    expect(run.undone).toEqual(run.before);
    expect(run.redo().state).toEqual(run.after);
  });

  it('undoing a delete restores the feature; undoing that deletes it again', () => {
    const run = undoRoundTrip(feature, [created], { type: 'delete', data: {} });
    expect(run.compensation).toEqual([restored]);
    expect(run.undone).toEqual(run.before);
    expect(run.redo().events).toEqual([deleted]);
    expect(run.redo().state).toEqual(run.after);
  });

  it('undoing a revert restores the state before it; undoing that reverts again', () => {
    const history = [created, renamed, reassigned];
    const run = undoRoundTrip(
      feature,
      history,
      { type: 'revert', data: { toRevision: 0 } },
      { stateAtRevision: stateOf([created]), currentRevision: 2 },
    );
    expect(run.after).toEqual(stateOf([created]));
    expect(run.compensation).toEqual([{ type: 'FeatureReverted', data: { state: run.before } }]);
    expect(run.undone).toEqual(run.before);
    expect(run.redo().state).toEqual(run.after);
  });

  it('undoing a rename keeps a later change of developer', () => {
    const now = stateOf([created, renamed, reassigned]);
    const compensation = compensate([renamed], stateOf([created]), now);
    expect(replay(featureDecider, compensation, now)).toEqual({ ...now, name: 'Login' });
  });

  it('undoing an update of a feature deleted since then is refused like any update', () => {
    expect(() => compensate([renamed], stateOf([created]), stateOf([created, renamed, deleted]))).toThrow(DomainRuleError);
  });

  it('undoing a creation of a feature already deleted conflicts', () => {
    expect(() => compensate([created], stateOf([]), stateOf([created, deleted]))).toThrow(DomainConflictError);
  });

  it('undoing a delete of a feature restored since then conflicts', () => {
    expect(() => compensate([deleted], stateOf([created]), stateOf([created, deleted, restored]))).toThrow(DomainConflictError);
  });

  it('for any update, undoing it right away gives back the state before it', () => {
    const update = fc
      .record(
        {
          name: fc.string({ minLength: 1, maxLength: 20 }).filter((name) => name.trim() === name && name !== ''),
          complexityPoints: fc.integer({ min: 1, max: 100 }),
          developer: fc.constantFrom('alice', 'bob', 'carol'),
        },
        { requiredKeys: [] },
      )
      // An update that repeats every current value records nothing, so there is nothing to undo.
      .filter((data) => Object.entries(data).some(([field, value]) => created.data[field as keyof typeof created.data] !== value));
    fc.assert(
      fc.property(update, (data) => {
        const run = undoRoundTrip(feature, [created], { type: 'update', data });
        expect(run.undone).toEqual(run.before);
        expect(run.redo().state).toEqual(run.after);
      }),
    );
  });
});

describe('feature: revert', () => {
  const history = [created, renamed, deleted];

  it('given a deleted feature, when reverted to revision 1, then it is back, renamed and active', () => {
    const stateAtRevision = featureAfter([created, renamed]);
    const state = given(history)
      .when({ type: 'revert', data: { toRevision: 1 } }, { stateAtRevision, currentRevision: 2 })
      .then([{ type: 'FeatureReverted', data: { toRevision: 1, state: stateAtRevision } }]);
    expect(state).toEqual({ status: 'active', ...created.data, name: 'SSO login' });
  });

  it('given revision 2, when reverted to revision 5, then the rule refuses it', () => {
    given(history)
      .when({ type: 'revert', data: { toRevision: 5 } }, { stateAtRevision: stateOf(history), currentRevision: 2 })
      .thenThrows(DomainRuleError, /cannot revert to revision 5: the feature is at revision 2/);
  });

  it('given a state at revision from before the feature existed, when reverted, then the rule refuses it', () => {
    given(history)
      .when({ type: 'revert', data: { toRevision: 0 } }, { stateAtRevision: stateOf([]), currentRevision: 2 })
      .thenThrows(DomainRuleError, /did not exist at revision 0/);
  });
});
