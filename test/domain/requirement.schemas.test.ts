import { describe, expect, it } from 'vitest';
import {
  approveRequirementSchema,
  captureRequirementSchema,
  rejectRequirementSchema,
  revertRequirementSchema,
  reviseRequirementSchema,
} from '../../src/domain/requirement/index.js';

const valid = {
  title: 'Single sign-on',
  description: 'Employees sign in with the corporate identity provider.',
  priority: 'high',
  acceptanceCriteria: ['SSO login works'],
};
const accepts = (schema: { safeParse(value: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

describe('capture payload', () => {
  it('accepts a title of 1 to 200 characters and refuses 0, blanks only, or 201', () => {
    expect(accepts(captureRequirementSchema, { ...valid, title: 'x' })).toBe(true);
    expect(accepts(captureRequirementSchema, { ...valid, title: 'x'.repeat(200) })).toBe(true);
    expect(accepts(captureRequirementSchema, { ...valid, title: 'x'.repeat(201) })).toBe(false);
    expect(accepts(captureRequirementSchema, { ...valid, title: '' })).toBe(false);
    expect(accepts(captureRequirementSchema, { ...valid, title: '   ' })).toBe(false);
  });

  it('accepts a description of up to 10000 characters and defaults it to empty', () => {
    expect(accepts(captureRequirementSchema, { ...valid, description: 'x'.repeat(10_000) })).toBe(true);
    expect(accepts(captureRequirementSchema, { ...valid, description: 'x'.repeat(10_001) })).toBe(false);
    const { description: _omitted, ...withoutDescription } = valid;
    expect(captureRequirementSchema.parse(withoutDescription).description).toBe('');
  });

  it('accepts the four priorities only', () => {
    for (const priority of ['low', 'medium', 'high', 'critical']) {
      expect(accepts(captureRequirementSchema, { ...valid, priority })).toBe(true);
    }
    expect(accepts(captureRequirementSchema, { ...valid, priority: 'urgent' })).toBe(false);
  });

  it('accepts 1 to 20 non-empty acceptance criteria', () => {
    const criteria = (count: number) => Array.from({ length: count }, (_, index) => `criterion ${index}`);
    expect(accepts(captureRequirementSchema, { ...valid, acceptanceCriteria: criteria(20) })).toBe(true);
    expect(accepts(captureRequirementSchema, { ...valid, acceptanceCriteria: criteria(21) })).toBe(false);
    expect(accepts(captureRequirementSchema, { ...valid, acceptanceCriteria: [] })).toBe(false);
    expect(accepts(captureRequirementSchema, { ...valid, acceptanceCriteria: [''] })).toBe(false);
  });

  it('refuses unknown fields and missing required ones', () => {
    expect(accepts(captureRequirementSchema, { ...valid, owner: 'alice' })).toBe(false);
    const { title: _omitted, ...withoutTitle } = valid;
    expect(accepts(captureRequirementSchema, withoutTitle)).toBe(false);
  });
});

describe('revise payload', () => {
  it('accepts any one field with the capture limits', () => {
    expect(accepts(reviseRequirementSchema, { priority: 'low' })).toBe(true);
    expect(accepts(reviseRequirementSchema, { title: 'x'.repeat(200) })).toBe(true);
    expect(accepts(reviseRequirementSchema, { title: 'x'.repeat(201) })).toBe(false);
    expect(accepts(reviseRequirementSchema, { acceptanceCriteria: [] })).toBe(false);
  });

  it('refuses an empty revision and unknown fields', () => {
    expect(accepts(reviseRequirementSchema, {})).toBe(false);
    expect(accepts(reviseRequirementSchema, { status: 'approved' })).toBe(false);
  });

  it('does not invent a description when none is given', () => {
    expect(reviseRequirementSchema.parse({ title: 'New' })).toEqual({ title: 'New' });
  });
});

describe('approve, reject and revert payloads', () => {
  it('approve takes an empty body only', () => {
    expect(accepts(approveRequirementSchema, {})).toBe(true);
    expect(accepts(approveRequirementSchema, { reason: 'fine' })).toBe(false);
  });

  it('reject needs a reason of 1 to 2000 characters', () => {
    expect(accepts(rejectRequirementSchema, { reason: 'x'.repeat(2000) })).toBe(true);
    expect(accepts(rejectRequirementSchema, { reason: 'x'.repeat(2001) })).toBe(false);
    expect(accepts(rejectRequirementSchema, { reason: '' })).toBe(false);
    expect(accepts(rejectRequirementSchema, {})).toBe(false);
  });

  it('revert needs a whole revision of 0 or more', () => {
    expect(accepts(revertRequirementSchema, { toRevision: 0 })).toBe(true);
    expect(accepts(revertRequirementSchema, { toRevision: -1 })).toBe(false);
    expect(accepts(revertRequirementSchema, { toRevision: 1.5 })).toBe(false);
    expect(accepts(revertRequirementSchema, { toRevision: '1' })).toBe(false);
  });
});
