import { replay } from '../../src/domain/decider.js';
import { buildDecider, existingBuildStateSchema, type BuildEvent } from '../../src/domain/build/index.js';
import { COMMIT, FEATURE_ID } from './fixtures.js';

export const requested = { type: 'BuildRequested', data: { featureId: FEATURE_ID, commit: COMMIT, repository: null } } satisfies BuildEvent;
export const succeeded = {
  type: 'BuildSucceeded',
  data: { featureId: FEATURE_ID, commit: COMMIT, durationMs: 42_000 },
} satisfies BuildEvent;
export const failed = { type: 'BuildFailed', data: { featureId: FEATURE_ID, commit: COMMIT, durationMs: 9_000 } } satisfies BuildEvent;
export const greenTestRun = { type: 'TestRunRecorded', data: { passed: 120, failed: 0, coverage: 87.5 } } satisfies BuildEvent;
export const cleanScan = {
  type: 'SecurityScanRecorded',
  data: { findings: [{ id: 'CVE-2024-0001', severity: 'low' }] },
} satisfies BuildEvent;

/** The state after `events`, which must include the request. */
export function buildAfter(events: BuildEvent[]) {
  return existingBuildStateSchema.parse(replay(buildDecider, events));
}

/** A build that passes every deployment gate. */
export const deployableBuild = buildAfter([requested, succeeded, greenTestRun, cleanScan]);
