import { describe, expect, it } from 'vitest';
import {
  advanceDeploymentSchema,
  failDeploymentSchema,
  rollbackDeploymentSchema,
  startDeploymentSchema,
} from '../../src/domain/deployment/index.js';
import { BUILD_ID } from './fixtures.js';

const valid = { buildId: BUILD_ID, environment: 'staging', strategy: 'canary', version: '1.4.0' };
const accepts = (schema: { safeParse(value: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

describe('start payload', () => {
  it.each(['0.0.0', '1.4.0', '10.20.30', '1.0.0-rc.1', '1.0.0-alpha-2.0', '1.0.0+build.5', '1.0.0-beta.11+sha.3f2a1bc'])(
    'accepts the semantic version %s',
    (version) => {
      expect(accepts(startDeploymentSchema, { ...valid, version })).toBe(true);
    },
  );

  it.each(['1.4', '1.4.0.1', 'v1.4.0', '01.4.0', '1.04.0', '1.4.0-', '1.4.0-01', '1.4.0+', '1.4.0-rc..1', 'latest', ''])(
    'refuses %j as a version',
    (version) => {
      expect(accepts(startDeploymentSchema, { ...valid, version })).toBe(false);
    },
  );

  it('accepts the two environments and three strategies only', () => {
    for (const environment of ['staging', 'production']) {
      for (const strategy of ['blue_green', 'canary', 'rolling']) {
        expect(accepts(startDeploymentSchema, { ...valid, environment, strategy })).toBe(true);
      }
    }
    expect(accepts(startDeploymentSchema, { ...valid, environment: 'qa' })).toBe(false);
    expect(accepts(startDeploymentSchema, { ...valid, strategy: 'big_bang' })).toBe(false);
  });

  it('needs a build id that is a ULID, and no unknown fields', () => {
    expect(accepts(startDeploymentSchema, { ...valid, buildId: 'build-7' })).toBe(false);
    expect(accepts(startDeploymentSchema, { ...valid, featureId: BUILD_ID })).toBe(false);
  });
});

describe('advance, fail and rollback payloads', () => {
  it('advance is an empty body', () => {
    expect(accepts(advanceDeploymentSchema, {})).toBe(true);
    expect(accepts(advanceDeploymentSchema, { percent: 50 })).toBe(false);
  });

  it.each([
    ['fail', failDeploymentSchema],
    ['rollback', rollbackDeploymentSchema],
  ])('%s needs a reason of 1 to 2000 characters', (_name, schema) => {
    expect(accepts(schema, { reason: 'x'.repeat(2000) })).toBe(true);
    expect(accepts(schema, { reason: 'x'.repeat(2001) })).toBe(false);
    expect(accepts(schema, { reason: '' })).toBe(false);
    expect(accepts(schema, {})).toBe(false);
  });
});
