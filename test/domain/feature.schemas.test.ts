import { describe, expect, it } from 'vitest';
import { createFeatureSchema, deleteFeatureSchema, updateFeatureSchema } from '../../src/domain/feature/index.js';
import { REQUIREMENT_ID } from './fixtures.js';

const valid = { requirementId: REQUIREMENT_ID, name: 'Login', complexityPoints: 5, developer: 'alice' };
const accepts = (schema: { safeParse(value: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

describe('create payload', () => {
  it('needs a requirement id that is a ULID', () => {
    expect(accepts(createFeatureSchema, valid)).toBe(true);
    expect(accepts(createFeatureSchema, { ...valid, requirementId: 'req-1' })).toBe(false);
    expect(accepts(createFeatureSchema, { ...valid, requirementId: REQUIREMENT_ID.toLowerCase() })).toBe(false);
    expect(accepts(createFeatureSchema, { ...valid, requirementId: `${REQUIREMENT_ID.slice(0, 25)}U` })).toBe(false);
  });

  it('accepts a name of 1 to 200 characters', () => {
    expect(accepts(createFeatureSchema, { ...valid, name: 'x'.repeat(200) })).toBe(true);
    expect(accepts(createFeatureSchema, { ...valid, name: 'x'.repeat(201) })).toBe(false);
    expect(accepts(createFeatureSchema, { ...valid, name: '' })).toBe(false);
  });

  it('accepts whole complexity points from 1 to 100', () => {
    expect(accepts(createFeatureSchema, { ...valid, complexityPoints: 1 })).toBe(true);
    expect(accepts(createFeatureSchema, { ...valid, complexityPoints: 100 })).toBe(true);
    expect(accepts(createFeatureSchema, { ...valid, complexityPoints: 0 })).toBe(false);
    expect(accepts(createFeatureSchema, { ...valid, complexityPoints: 101 })).toBe(false);
    expect(accepts(createFeatureSchema, { ...valid, complexityPoints: 2.5 })).toBe(false);
  });

  it('accepts a developer of 1 to 200 characters', () => {
    expect(accepts(createFeatureSchema, { ...valid, developer: 'x'.repeat(200) })).toBe(true);
    expect(accepts(createFeatureSchema, { ...valid, developer: 'x'.repeat(201) })).toBe(false);
    expect(accepts(createFeatureSchema, { ...valid, developer: ' ' })).toBe(false);
  });

  it('refuses unknown fields', () => {
    expect(accepts(createFeatureSchema, { ...valid, status: 'active' })).toBe(false);
  });
});

describe('update payload', () => {
  it('accepts any of name, complexity points and developer, with the create limits', () => {
    expect(accepts(updateFeatureSchema, { developer: 'bob' })).toBe(true);
    expect(accepts(updateFeatureSchema, { complexityPoints: 101 })).toBe(false);
    expect(accepts(updateFeatureSchema, { name: 'x'.repeat(201) })).toBe(false);
  });

  it('refuses an empty update, and the requirement (fixed at creation)', () => {
    expect(accepts(updateFeatureSchema, {})).toBe(false);
    expect(accepts(updateFeatureSchema, { requirementId: REQUIREMENT_ID })).toBe(false);
  });
});

describe('delete payload', () => {
  it('is an empty body', () => {
    expect(accepts(deleteFeatureSchema, {})).toBe(true);
    expect(accepts(deleteFeatureSchema, { hard: true })).toBe(false);
  });
});
