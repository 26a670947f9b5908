import { describe, expect, it } from 'vitest';
import { generationCollection, generationKey, parseGenerationCollection, parseGenerationKey } from '../../src/projections/projection-generation.js';
import { rebuildProgress } from '../../src/projections/rebuild/rebuild-progress.js';
import { StallDetector } from '../../src/projections/projection-stall.js';

describe('generation names', () => {
  it('build 0 keeps the original physical names; later builds add a suffix', () => {
    expect(generationCollection('features', { version: 1, build: 0 })).toBe('rm_features_v1');
    expect(generationCollection('environment_deployments', { version: 2, build: 3 })).toBe('rm_environment_deployments_v2_b3');
    expect(generationKey({ version: 2, build: 3 })).toBe('v2_b3');
  });

  it('names read back to their logical name and generation; other collections do not', () => {
    expect(parseGenerationCollection('rm_environment_deployments_v2_b3')).toEqual({ logical: 'environment_deployments', generation: { version: 2, build: 3 } });
    expect(parseGenerationCollection('rm_audit_v1')).toEqual({ logical: 'audit', generation: { version: 1, build: 0 } });
    expect(parseGenerationCollection('_checkpoints')).toBeNull();
    expect(parseGenerationKey('v1_b12')).toEqual({ version: 1, build: 12 });
    expect(parseGenerationKey('features')).toBeNull();
  });
});

describe('rebuild progress', () => {
  it('gives the share of the log behind the rebuild, its event rate and the time left at that pace', () => {
    const progress = rebuildProgress({ startPosition: null, position: 250n, head: 1000n, processed: 250, elapsedMs: 500, phase: 'building' });
    expect(progress).toMatchObject({ percent: 25, eventsPerSecond: 500, etaSeconds: 2, position: '250', head: '1000' });
  });

  it('a resumed rebuild measures its pace from where it resumed', () => {
    const progress = rebuildProgress({ startPosition: 600n, position: 800n, head: 1000n, processed: 200, elapsedMs: 1000, phase: 'building' });
    expect(progress).toMatchObject({ percent: 80, eventsPerSecond: 200, etaSeconds: 1 });
  });

  it('an empty log is done', () => {
    expect(rebuildProgress({ startPosition: null, position: null, head: null, processed: 0, elapsedMs: 0, phase: 'swapping' })).toMatchObject({ percent: 100, etaSeconds: 0 });
  });
});

describe('stall detection', () => {
  it('is stalled only when behind and quiet for longer than the period, counted from falling behind', () => {
    const stalls = new StallDetector(1000);
    const restedAtHeadSince = 0;
    expect(stalls.observe('p', 0, restedAtHeadSince, 50_000)).toMatchObject({ stalled: false });
    expect(stalls.observe('p', 3, restedAtHeadSince, 60_000)).toMatchObject({ stalled: false });
    expect(stalls.observe('p', 3, restedAtHeadSince, 61_001)).toMatchObject({ stalled: true, changed: true });
    expect(stalls.observe('p', 3, restedAtHeadSince, 62_000)).toMatchObject({ stalled: true, changed: false });
    expect(stalls.observe('p', 1, 62_500, 62_600)).toMatchObject({ stalled: false, changed: true });
  });
});
