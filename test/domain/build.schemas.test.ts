import { describe, expect, it } from 'vitest';
import {
  recordBuildResultSchema,
  recordSecurityScanSchema,
  recordTestRunSchema,
  requestBuildSchema,
} from '../../src/domain/build/index.js';
import { FEATURE_ID } from './fixtures.js';

const accepts = (schema: { safeParse(value: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

describe('request payload', () => {
  it('accepts a commit of 7 to 40 hexadecimal characters, in either case', () => {
    for (const commit of ['abcdef0', 'a'.repeat(40), 'ABCDEF0123']) {
      expect(accepts(requestBuildSchema, { featureId: FEATURE_ID, commit })).toBe(true);
    }
  });

  it('refuses a commit of 6 or 41 characters or with a non-hex character', () => {
    for (const commit of ['abcdef', 'a'.repeat(41), 'abcdefg', 'main']) {
      expect(accepts(requestBuildSchema, { featureId: FEATURE_ID, commit })).toBe(false);
    }
  });

  it('takes the repository optionally, as host and path', () => {
    for (const repository of ['github.com/acme/shop', 'gitlab.example.org/platform/payments/api', 'github.com/acme/shop.js']) {
      expect(accepts(requestBuildSchema, { featureId: FEATURE_ID, commit: 'abcdef0', repository })).toBe(true);
    }
    for (const repository of ['', 'acme/shop', 'github.com/acme', 'https://github.com/acme/shop', 'github.com/acme/my shop', `github.com/acme/${'x'.repeat(300)}`]) {
      expect(accepts(requestBuildSchema, { featureId: FEATURE_ID, commit: 'abcdef0', repository })).toBe(false);
    }
  });

  it('needs a feature id that is a ULID and nothing else', () => {
    expect(accepts(requestBuildSchema, { featureId: 'feature-1', commit: 'abcdef0' })).toBe(false);
    expect(accepts(requestBuildSchema, { featureId: FEATURE_ID, commit: 'abcdef0', branch: 'main' })).toBe(false);
  });
});

describe('result payload', () => {
  it('accepts succeeded or failed with a whole duration of 0 or more', () => {
    expect(accepts(recordBuildResultSchema, { outcome: 'succeeded', durationMs: 0 })).toBe(true);
    expect(accepts(recordBuildResultSchema, { outcome: 'failed', durationMs: 1 })).toBe(true);
    expect(accepts(recordBuildResultSchema, { outcome: 'cancelled', durationMs: 1 })).toBe(false);
    expect(accepts(recordBuildResultSchema, { outcome: 'failed', durationMs: -1 })).toBe(false);
    expect(accepts(recordBuildResultSchema, { outcome: 'failed', durationMs: 1.5 })).toBe(false);
  });
});

describe('test run payload', () => {
  it('accepts whole passed and failed counts of 0 or more', () => {
    expect(accepts(recordTestRunSchema, { passed: 0, failed: 0, coverage: 0 })).toBe(true);
    expect(accepts(recordTestRunSchema, { passed: -1, failed: 0, coverage: 50 })).toBe(false);
    expect(accepts(recordTestRunSchema, { passed: 1, failed: -1, coverage: 50 })).toBe(false);
    expect(accepts(recordTestRunSchema, { passed: 1, failed: 0.5, coverage: 50 })).toBe(false);
  });

  it('accepts a coverage from 0 to 100', () => {
    expect(accepts(recordTestRunSchema, { passed: 1, failed: 0, coverage: 100 })).toBe(true);
    expect(accepts(recordTestRunSchema, { passed: 1, failed: 0, coverage: 79.9 })).toBe(true);
    expect(accepts(recordTestRunSchema, { passed: 1, failed: 0, coverage: 100.1 })).toBe(false);
    expect(accepts(recordTestRunSchema, { passed: 1, failed: 0, coverage: -0.1 })).toBe(false);
  });
});

describe('security scan payload', () => {
  it('accepts findings with an id and one of four severities', () => {
    const findings = ['low', 'medium', 'high', 'critical'].map((severity, index) => ({ id: `F-${index}`, severity }));
    expect(accepts(recordSecurityScanSchema, { findings })).toBe(true);
    expect(accepts(recordSecurityScanSchema, { findings: [] })).toBe(true);
  });

  it('refuses an unknown severity, a finding without id, or unknown fields', () => {
    expect(accepts(recordSecurityScanSchema, { findings: [{ id: 'F-1', severity: 'severe' }] })).toBe(false);
    expect(accepts(recordSecurityScanSchema, { findings: [{ id: '', severity: 'low' }] })).toBe(false);
    expect(accepts(recordSecurityScanSchema, { findings: [{ id: 'F-1', severity: 'low', cvss: 3 }] })).toBe(false);
    expect(accepts(recordSecurityScanSchema, {})).toBe(false);
  });
});
