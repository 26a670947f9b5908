import { describe, expect, it } from 'vitest';
import { replay } from '../../src/domain/decider.js';
import { DomainConflictError, DomainRuleError } from '../../src/domain/errors.js';
import {
  compensate,
  requirementCommandSchema,
  requirementDecider,
  requirementEventSchema,
  touchedFields,
  type RequirementEvent,
} from '../../src/domain/requirement/index.js';
import { scenario } from './given-when-then.js';
import { approved, captured, rejected, requirementAfter, retitled, withdrawn } from './requirement.fixtures.js';
import { undoRoundTrip } from './undo-round-trip.js';

const requirement = { decider: requirementDecider, compensate };
const given = scenario(requirementDecider, { commands: requirementCommandSchema, events: requirementEventSchema });
const stateOf = (events: RequirementEvent[]) => replay(requirementDecider, events);

describe('requirement: touched fields', () => {
  it('a capture and a revert touch every field', () => {
    const every = ['status', 'title', 'description', 'priority', 'acceptanceCriteria', 'rejectionReason'];
    expect(touchedFields(captured).sort()).toEqual([...every].sort());
    expect(touchedFields({ type: 'RequirementReverted', data: { state: requirementAfter([captured]) } }).sort()).toEqual(
      [...every].sort(),
    );
  });

  it('a revision touches the fields it changed', () => {
    expect(touchedFields(retitled)).toEqual(['title']);
  });

  it('approve and withdraw touch the status; reject also touches the rejection reason', () => {
    expect(touchedFields(approved)).toEqual(['status']);
    expect(touchedFields(withdrawn)).toEqual(['status']);
    expect(touchedFields(rejected)).toEqual(['status', 'rejectionReason']);
  });
});

describe('requirement: undo', () => {
  it('undoing a capture withdraws the requirement; undoing that brings it back', () => {
    const run = undoRoundTrip(requirement, [], { type: 'capture', data: captured.data });
    expect(run.compensation).toEqual([withdrawn]);
    expect(run.undone).toEqual({ ...run.after, status: 'withdrawn' });
    expect(run.redo().events).toEqual([{ type: 'RequirementReverted', data: { state: run.after } }]);
    expect(run.redo().state).toEqual(run.after);
  });

  it('undoing a revision revises the changed fields back; undoing that redoes it', () => {
    const run = undoRoundTrip(requirement, [captured], { type: 'revise', data: { title: 'SSO via OIDC', priority: 'low' } });
    expect(run.compensation).toEqual([
      {
        type: 'RequirementRevised',
        data: {
          changes: { title: 'Single sign-on', priority: 'high' },
          previous: { title: 'SSO via OIDC', priority: 'low' },
        },
      },
    ]);
    expect(run.undone).toEqual(run.before);
    expect(run.redo().state).toEqual(run.after);
  });

  it.each([
    ['an approval', { type: 'approve', data: {} }],
    ['a rejection', { type: 'reject', data: { reason: 'Out of scope' } }],
  ] as const)('undoing %s reverts the requirement to pending; undoing that decides again', (_name, command) => {
    const run = undoRoundTrip(requirement, [captured], command);
    expect(run.compensation).toEqual([{ type: 'RequirementReverted', data: { state: run.before } }]);
    expect(run.undone).toEqual(run.before);
    expect(run.undone.status).toBe('captured');
    expect(run.redo().state).toEqual(run.after);
  });

  it('undoing a revert restores the state before it; undoing that reverts again', () => {
    const history = [captured, retitled, approved];
    const run = undoRoundTrip(
      requirement,
      history,
      { type: 'revert', data: { toRevision: 0 } },
      { stateAtRevision: stateOf([captured]), currentRevision: 2 },
    );
    expect(run.after).toEqual(stateOf([captured]));
    expect(run.undone).toEqual(run.before);
    expect(run.redo().state).toEqual(run.after);
  });

  it('undoing a withdrawal (an undone capture) restores the requirement as it was', () => {
    const before = stateOf([captured, approved]);
    const now = replay(requirementDecider, [withdrawn], before);
    const compensation = compensate([withdrawn], before, now);
    expect(replay(requirementDecider, compensation, now)).toEqual(before);
  });

  it('undoing an approval keeps a later revision of the title', () => {
    const before = stateOf([captured]);
    const now = stateOf([captured, approved, retitled]);
    const compensation = compensate([approved], before, now);
    expect(replay(requirementDecider, compensation, now)).toEqual({ ...before, title: 'SSO via OIDC' });
  });

  it('undoing a revision of a requirement rejected since then is refused like any revision', () => {
    const before = stateOf([captured]);
    const now = stateOf([captured, retitled, rejected]);
    expect(() => compensate([retitled], before, now)).toThrow(DomainRuleError);
  });

  it('undoing a capture of a requirement already withdrawn conflicts', () => {
    expect(() => compensate([captured], stateOf([]), stateOf([captured, withdrawn]))).toThrow(DomainConflictError);
  });
});

describe('requirement: revert', () => {
  const history = [captured, retitled, approved];

  it('given three revisions, when reverted to revision 0, then RequirementReverted carries that state and becomes it', () => {
    const stateAtRevision = requirementAfter([captured]);
    const state = given(history)
      .when({ type: 'revert', data: { toRevision: 0 } }, { stateAtRevision, currentRevision: 2 })
      .then([{ type: 'RequirementReverted', data: { toRevision: 0, state: stateAtRevision } }]);
    expect(state).toEqual(stateAtRevision);
    expect(state.status).toBe('captured');
  });

  it('given a withdrawn requirement, when reverted to before the withdrawal, then it is back', () => {
    const stateAtRevision = requirementAfter([captured]);
    const state = given([captured, withdrawn])
      .when({ type: 'revert', data: { toRevision: 0 } }, { stateAtRevision, currentRevision: 1 })
      .then([{ type: 'RequirementReverted', data: { toRevision: 0, state: stateAtRevision } }]);
    expect(state.status).toBe('captured');
  });

  it('given revision 2, when reverted to revision 3, then the rule refuses a revision that does not exist', () => {
    given(history)
      .when({ type: 'revert', data: { toRevision: 3 } }, { stateAtRevision: stateOf(history), currentRevision: 2 })
      .thenThrows(DomainRuleError, /cannot revert to revision 3: the requirement is at revision 2/);
  });

  it('given a pipeline that forgot the facts, when reverted, then it fails loudly', () => {
    given(history).when({ type: 'revert', data: { toRevision: 0 } }).thenThrows(Error, /needs facts\.currentRevision/);
  });
});
