import { describe, expect, it } from 'vitest';
import {
  deploymentCommandSchema,
  deploymentDecider,
  deploymentEventSchema,
  type DeploymentCommand,
  type DeploymentEvent,
  type DeploymentFacts,
  type StrategyName,
} from '../../src/domain/deployment/index.js';
import { AggregateNotFoundError, DomainConflictError, DomainRuleError } from '../../src/domain/errors.js';
import { scenario } from './given-when-then.js';
import type { BuildState, Severity } from '../../src/domain/build/index.js';
import {
  buildAfter,
  failed as buildFailed,
  succeeded as buildSucceeded,
  cleanScan,
  deployableBuild,
  greenTestRun,
  requested,
} from './build.fixtures.js';
import { failed, rolledBack, shifted, started, succeeded, succeededHistory } from './deployment.fixtures.js';
import { BUILD_ID, OTHER_DEPLOYMENT_ID } from './fixtures.js';

const given = scenario(deploymentDecider, { commands: deploymentCommandSchema, events: deploymentEventSchema });

function start(strategy: StrategyName = 'blue_green', environment: 'staging' | 'production' = 'staging'): DeploymentCommand {
  return { type: 'start', data: { buildId: BUILD_ID, environment, strategy, version: '1.4.0' } };
}
const clear: DeploymentFacts = { build: deployableBuild, stagingSucceededForBuild: false, inProgressInEnvironment: [] };
const advance: DeploymentCommand = { type: 'advance', data: {} };

describe('deployment: start', () => {
  it('given a build that passes every gate, when deployed to staging, then DeploymentStarted names build, feature and version, with no traffic yet', () => {
    const state = given([]).when(start(), clear).then([started()]);
    expect(state).toMatchObject({ status: 'in_progress', step: 0, percent: 0 });
  });

  it('given a build that succeeded in staging, when deployed to production, then it starts', () => {
    given([])
      .when(start('canary', 'production'), { ...clear, stagingSucceededForBuild: true })
      .then([started('canary', 'production')]);
  });

  it('given a started deployment, when started again, then it conflicts', () => {
    given([started()]).when(start(), clear).thenThrows(DomainConflictError, /already exists/);
  });

  it('given another deployment in progress in the environment, when started, then it conflicts and names it', () => {
    given([])
      .when(start(), { ...clear, inProgressInEnvironment: [OTHER_DEPLOYMENT_ID] })
      .thenThrows(DomainConflictError, new RegExp(`${OTHER_DEPLOYMENT_ID} is already in progress in staging`));
  });

  it('given unmet gates and a deployment in progress, when started, then the gates are the answer', () => {
    given([])
      .when(start(), { ...clear, build: buildAfter([requested]), inProgressInEnvironment: [OTHER_DEPLOYMENT_ID] })
      .thenThrows(DomainRuleError, /gates are not met/);
  });

  it('given a pipeline that did not load the facts, when started, then it fails loudly', () => {
    given([]).when(start()).thenThrows(Error, /deployment\.start command needs facts\.build/);
  });
});

describe('deployment: gates, each alone', () => {
  const scanWith = (severity: Severity) => ({ findings: [{ id: 'CVE-2024-9', severity }] });

  it.each([
    ['the build does not exist', { status: 'none' }, 'the build does not exist'],
    ['the build is still running', { ...deployableBuild, status: 'requested' }, 'has not succeeded (it is requested)'],
    ['the build failed', { ...deployableBuild, status: 'failed' }, 'has not succeeded (it is failed)'],
    ['no test run is recorded', { ...deployableBuild, latestTestRun: null }, 'no test run is recorded'],
    ['a test failed', { ...deployableBuild, latestTestRun: { passed: 9, failed: 1, coverage: 90 } }, 'has 1 failed tests'],
    [
      'coverage is below 80%',
      { ...deployableBuild, latestTestRun: { passed: 9, failed: 0, coverage: 79.9 } },
      'covers 79.9%, below the required 80%',
    ],
    ['no scan is recorded', { ...deployableBuild, latestSecurityScan: null }, 'no security scan is recorded'],
    ['the scan has a high finding', { ...deployableBuild, latestSecurityScan: scanWith('high') }, 'findings: CVE-2024-9'],
    ['the scan has a critical finding', { ...deployableBuild, latestSecurityScan: scanWith('critical') }, 'findings: CVE-2024-9'],
  ] satisfies [string, BuildState, string][])('given %s, when deployed, then that one gate is refused', (_case, build, reason) => {
    const error = given([]).when(start(), { ...clear, build }).thenThrows(DomainRuleError, /gates are not met/);
    expect((error as DomainRuleError).reasons).toEqual([expect.stringContaining(reason)]);
  });

  it('given no succeeded staging deployment of the build, when deployed to production, then that gate is refused', () => {
    const error = given([]).when(start('rolling', 'production'), clear).thenThrows(DomainRuleError, /gates are not met/);
    expect((error as DomainRuleError).reasons).toEqual(['production needs a succeeded staging deployment of the same build']);
  });

  it('given a failing test run followed by a green one, when deployed, then only the latest run counts', () => {
    const build = buildAfter([
      requested,
      buildSucceeded,
      { type: 'TestRunRecorded', data: { passed: 9, failed: 1, coverage: 90 } },
      greenTestRun,
      cleanScan,
    ]);
    given([]).when(start(), { ...clear, build }).then([started()]);
  });

  it('given coverage of exactly 80% and a medium finding, when deployed, then the gates pass', () => {
    const build: BuildState = {
      ...deployableBuild,
      latestTestRun: { passed: 10, failed: 0, coverage: 80 },
      latestSecurityScan: scanWith('medium'),
    };
    given([]).when(start(), { ...clear, build }).then([started()]);
  });
});

describe('deployment: gates, all at once', () => {
  it('given a failed build with failing, thin tests, a critical finding and no staging run, when deployed to production, then every unmet gate is listed', () => {
    const build = buildAfter([
      requested,
      buildFailed,
      { type: 'TestRunRecorded', data: { passed: 5, failed: 3, coverage: 40 } },
      { type: 'SecurityScanRecorded', data: { findings: [{ id: 'CVE-A', severity: 'critical' }, { id: 'CVE-B', severity: 'low' }] } },
    ]);
    const error = given([]).when(start('canary', 'production'), { ...clear, build }).thenThrows(DomainRuleError, /gates are not met/);
    expect((error as DomainRuleError).reasons).toEqual([
      'the build has not succeeded (it is failed)',
      'the latest test run has 3 failed tests',
      'the latest test run covers 40%, below the required 80%',
      'the latest security scan has high or critical findings: CVE-A',
      'production needs a succeeded staging deployment of the same build',
    ]);
  });

  it('given a build still running with no test run and no scan, when deployed to production, then all four are listed', () => {
    const error = given([])
      .when(start('canary', 'production'), { ...clear, build: buildAfter([requested]) })
      .thenThrows(DomainRuleError, /gates are not met/);
    expect((error as DomainRuleError).reasons).toEqual([
      'the build has not succeeded (it is requested)',
      'no test run is recorded for the build',
      'no security scan is recorded for the build',
      'production needs a succeeded staging deployment of the same build',
    ]);
  });
});

describe('deployment: commands before the start', () => {
  const commandsNeedingADeployment: DeploymentCommand[] = [
    advance,
    { type: 'fail', data: { reason: 'x' } },
    { type: 'rollback', data: { reason: 'x' } },
  ];
  it.each(commandsNeedingADeployment)('given nothing, when $type, then the deployment is not found', (command) => {
    given([]).when(command).thenThrows(AggregateNotFoundError, /deployment not found/);
  });
});

describe('deployment: advance through each strategy', () => {
  it.each([
    ['blue_green', [10, 50, 100]],
    ['canary', [5, 25, 50, 100]],
    ['rolling', [25, 50, 75, 100]],
  ] satisfies [StrategyName, number[]][])('%s shifts traffic %j, and reaching 100 succeeds', (strategy, percents) => {
    const history: DeploymentEvent[] = [started(strategy)];
    percents.forEach((percent, index) => {
      const step = index + 1;
      const isLast = step === percents.length;
      const expected: DeploymentEvent[] = isLast
        ? [shifted(step, percent), succeeded()]
        : [shifted(step, percent)];
      const state = given(history).when(advance).then(expected);
      expect(state).toMatchObject({ status: isLast ? 'succeeded' : 'in_progress', step, percent });
      history.push(...expected);
    });
    given(history).when(advance).thenThrows(DomainRuleError, /only a deployment in progress can advance; this one is succeeded/);
  });

  it.each([
    ['failed', [started(), failed('probe failed')]],
    ['rolled_back', [started(), rolledBack('manual')]],
  ])('given a %s deployment, when advanced, then the rule refuses it', (status, history) => {
    given(history).when(advance).thenThrows(DomainRuleError, new RegExp(`this one is ${status}`));
  });
});

describe('deployment: fail', () => {
  it('given a deployment in progress, when it fails, then DeploymentFailed and DeploymentRolledBack follow with the reason', () => {
    const state = given([started(), shifted(1, 10)])
      .when({ type: 'fail', data: { reason: 'error rate 12%' } })
      .then([failed('error rate 12%'), rolledBack('error rate 12%')]);
    expect(state).toMatchObject({ status: 'rolled_back', failureReason: 'error rate 12%', rollbackReason: 'error rate 12%' });
  });

  it.each([
    ['succeeded', succeededHistory],
    ['rolled_back', [started(), rolledBack('manual')]],
  ])('given a %s deployment, when it fails, then the rule refuses it', (status, history) => {
    given(history).when({ type: 'fail', data: { reason: 'late' } }).thenThrows(DomainRuleError, new RegExp(`can fail; this one is ${status}`));
  });
});

describe('deployment: rollback', () => {
  it('given a succeeded deployment, when rolled back, then the environment gets its previous version back', () => {
    const state = given(succeededHistory)
      .when({ type: 'rollback', data: { reason: 'latency regression' } })
      .then([rolledBack('latency regression', true)]);
    expect(state).toMatchObject({ status: 'rolled_back', rollbackReason: 'latency regression' });
  });

  it('given a deployment in progress, when rolled back, then DeploymentRolledBack has nothing to restore', () => {
    given([started(), shifted(1, 10)])
      .when({ type: 'rollback', data: { reason: 'canary unhappy' } })
      .then([rolledBack('canary unhappy')]);
  });

  it.each([
    ['failed', [started(), failed('boom')]],
    ['rolled_back', [started(), failed('boom'), rolledBack('boom')]],
  ])('given a %s deployment, when rolled back, then the rule refuses it', (status, history) => {
    given(history)
      .when({ type: 'rollback', data: { reason: 'again' } })
      .thenThrows(DomainRuleError, new RegExp(`can be rolled back; this one is ${status}`));
  });
});
