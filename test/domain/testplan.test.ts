import { describe, expect, it } from 'vitest';
import { replay } from '../../src/domain/decider.js';
import { DomainConflictError, NotUndoableError } from '../../src/domain/errors.js';
import {
  compensate,
  generateTestCasesSchema,
  testPlanCommandSchema,
  testPlanDecider,
  testPlanEventSchema,
  touchedFields,
  type TestPlanEvent,
} from '../../src/domain/testplan/index.js';
import { scenario } from './given-when-then.js';
import { FEATURE_ID, REQUIREMENT_ID } from './fixtures.js';

const given = scenario(testPlanDecider, { commands: testPlanCommandSchema, events: testPlanEventSchema });

const plan = {
  featureId: FEATURE_ID,
  requirementId: REQUIREMENT_ID,
  cases: [
    { id: `${FEATURE_ID}-1`, title: 'SSO login works', criterion: 'SSO login works' },
    { id: `${FEATURE_ID}-2`, title: 'Logout ends the SSO session', criterion: 'Logout ends the SSO session' },
  ],
};
const generated = { type: 'TestCasesGenerated', data: plan } satisfies TestPlanEvent;

describe('test plan: generate', () => {
  it('given no plan, when the agent generates one, then TestCasesGenerated carries every case', () => {
    const state = given([]).when({ type: 'generate', data: plan }).then([generated]);
    expect(state).toEqual({ status: 'generated', ...plan });
  });

  it('given a plan, when generated again, then it conflicts (the agent adds nothing on a replay)', () => {
    given([generated]).when({ type: 'generate', data: plan }).thenThrows(DomainConflictError, /testplan already exists/);
  });
});

describe('test plan: undo', () => {
  it('a generated plan is a recorded fact and cannot be undone', () => {
    const now = replay(testPlanDecider, [generated]);
    expect(() => compensate([generated], replay(testPlanDecider, []), now)).toThrow(NotUndoableError);
  });

  it('generating touches every field', () => {
    expect(touchedFields(generated).sort()).toEqual(['cases', 'featureId', 'requirementId', 'status']);
  });
});

describe('test plan payload', () => {
  const accepts = (value: unknown) => generateTestCasesSchema.safeParse(value).success;
  const cases = (count: number) =>
    Array.from({ length: count }, (_, index) => ({ id: `case-${index}`, title: `Case ${index}`, criterion: `criterion ${index}` }));

  it('accepts 1 to 20 cases', () => {
    expect(accepts({ ...plan, cases: cases(1) })).toBe(true);
    expect(accepts({ ...plan, cases: cases(20) })).toBe(true);
    expect(accepts({ ...plan, cases: cases(21) })).toBe(false);
    expect(accepts({ ...plan, cases: [] })).toBe(false);
  });

  it('refuses two cases with the same id', () => {
    const [first] = cases(1);
    expect(accepts({ ...plan, cases: [first, { ...first, title: 'again' }] })).toBe(false);
  });

  it('needs ULIDs for the feature and requirement, a title of 1 to 200 characters, and no unknown fields', () => {
    expect(accepts({ ...plan, featureId: 'feature-1' })).toBe(false);
    expect(accepts({ ...plan, requirementId: 'requirement-1' })).toBe(false);
    expect(accepts({ ...plan, cases: [{ ...cases(1)[0], title: 'x'.repeat(200) }] })).toBe(true);
    expect(accepts({ ...plan, cases: [{ ...cases(1)[0], title: 'x'.repeat(201) }] })).toBe(false);
    expect(accepts({ ...plan, cases: [{ ...cases(1)[0], steps: [] }] })).toBe(false);
    expect(accepts({ ...plan, generatedBy: 'agent' })).toBe(false);
  });
});
