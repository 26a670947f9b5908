import { describe, expect, it } from 'vitest';
import { replay } from '../../src/domain/decider.js';
import {
  buildCommandSchema,
  buildDecider,
  buildEventSchema,
  compensate,
  touchedFields,
  type BuildCommand,
  type BuildEvent,
} from '../../src/domain/build/index.js';
import { AggregateNotFoundError, DomainConflictError, DomainRuleError, NotUndoableError } from '../../src/domain/errors.js';
import { initialFeatureState } from '../../src/domain/feature/index.js';
import { scenario } from './given-when-then.js';
import { cleanScan, failed, greenTestRun, requested, succeeded } from './build.fixtures.js';
import { created as featureCreated, deleted as featureDeleted, featureAfter } from './feature.fixtures.js';
import { COMMIT, FEATURE_ID } from './fixtures.js';

const given = scenario(buildDecider, { commands: buildCommandSchema, events: buildEventSchema });
const request: BuildCommand = { type: 'request', data: { featureId: FEATURE_ID, commit: COMMIT } };
const activeFeature = featureAfter([featureCreated]);

describe('build: request', () => {
  it('given an active feature, when a build is requested, then BuildRequested names the feature and commit', () => {
    const state = given([]).when(request, { feature: activeFeature }).then([requested]);
    expect(state).toEqual({
      status: 'requested',
      featureId: FEATURE_ID,
      commit: COMMIT,
      repository: null,
      durationMs: null,
      latestTestRun: null,
      latestSecurityScan: null,
    });
  });

  it('given an active feature, when a build is requested from a repository, then BuildRequested and the state name the repository', () => {
    const fromRepository: BuildCommand = { type: 'request', data: { ...request.data, repository: 'github.com/acme/shop' } };
    const state = given([]).when(fromRepository, { feature: activeFeature }).then([{ type: 'BuildRequested', data: { ...requested.data, repository: 'github.com/acme/shop' } }]);
    expect(state).toMatchObject({ status: 'requested', commit: COMMIT, repository: 'github.com/acme/shop' });
  });

  it('given a feature that does not exist, when a build is requested, then the rule refuses it', () => {
    given([]).when(request, { feature: initialFeatureState }).thenThrows(DomainRuleError, /feature does not exist/);
  });

  it('given a deleted feature, when a build is requested, then the rule refuses it', () => {
    given([])
      .when(request, { feature: featureAfter([featureCreated, featureDeleted]) })
      .thenThrows(DomainRuleError, /feature is deleted/);
  });

  it('given a requested build, when requested again, then it conflicts', () => {
    given([requested]).when(request, { feature: activeFeature }).thenThrows(DomainConflictError, /already exists/);
  });
});

describe('build: commands before the request', () => {
  const commandsNeedingABuild: BuildCommand[] = [
    { type: 'recordResult', data: { outcome: 'succeeded', durationMs: 1 } },
    { type: 'recordTestRun', data: { passed: 1, failed: 0, coverage: 90 } },
    { type: 'recordSecurityScan', data: { findings: [] } },
  ];
  it.each(commandsNeedingABuild)('given nothing, when $type, then the build is not found', (command) => {
    given([]).when(command).thenThrows(AggregateNotFoundError, /build not found/);
  });
});

describe('build: result', () => {
  it('given a requested build, when it succeeded, then BuildSucceeded carries the duration', () => {
    const state = given([requested])
      .when({ type: 'recordResult', data: { outcome: 'succeeded', durationMs: 42_000 } })
      .then([succeeded]);
    expect(state).toMatchObject({ status: 'succeeded', durationMs: 42_000 });
  });

  it('given a requested build, when it failed, then BuildFailed carries the duration', () => {
    const state = given([requested])
      .when({ type: 'recordResult', data: { outcome: 'failed', durationMs: 9_000 } })
      .then([failed]);
    expect(state).toMatchObject({ status: 'failed', durationMs: 9_000 });
  });

  it.each([
    ['succeeded', succeeded],
    ['failed', failed],
  ] as const)('given a %s build, when a second result arrives, then it conflicts', (status, result) => {
    given([requested, result])
      .when({ type: 'recordResult', data: { outcome: 'succeeded', durationMs: 1 } })
      .thenThrows(DomainConflictError, new RegExp(`already recorded: ${status}`));
  });
});

describe('build: test runs and security scans', () => {
  it('given a build, when a test run is recorded, then it becomes the latest', () => {
    const state = given([requested, succeeded])
      .when({ type: 'recordTestRun', data: greenTestRun.data })
      .then([greenTestRun]);
    expect(state).toMatchObject({ latestTestRun: greenTestRun.data });
  });

  it('given a test run, when another is recorded, then the newer one replaces it', () => {
    const rerun = { type: 'TestRunRecorded', data: { passed: 100, failed: 20, coverage: 60 } } satisfies BuildEvent;
    const state = given([requested, greenTestRun]).when({ type: 'recordTestRun', data: rerun.data }).then([rerun]);
    expect(state).toMatchObject({ latestTestRun: rerun.data });
  });

  it('given a build, when a scan is recorded, then it becomes the latest, and a clean scan may have no findings', () => {
    const state = given([requested, cleanScan])
      .when({ type: 'recordSecurityScan', data: { findings: [] } })
      .then([{ type: 'SecurityScanRecorded', data: { findings: [] } }]);
    expect(state).toMatchObject({ latestSecurityScan: { findings: [] } });
  });
});

describe('build: undo', () => {
  it.each([requested, succeeded, failed, greenTestRun, cleanScan])('$type is a recorded fact and cannot be undone', (event) => {
    const before = replay(buildDecider, event === requested ? [] : [requested]);
    const now = replay(buildDecider, [event], before);
    expect(() => compensate([event], before, now)).toThrow(NotUndoableError);
  });

  it('each event touches the fields it sets', () => {
    expect(touchedFields(requested)).toHaveLength(7);
    expect(touchedFields(succeeded)).toEqual(['status', 'durationMs']);
    expect(touchedFields(failed)).toEqual(['status', 'durationMs']);
    expect(touchedFields(greenTestRun)).toEqual(['latestTestRun']);
    expect(touchedFields(cleanScan)).toEqual(['latestSecurityScan']);
  });
});
