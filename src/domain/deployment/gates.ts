import type { BuildState } from '../build/state.js';
import type { Environment } from '../shared/schemas.js';

export const MINIMUM_COVERAGE = 80;

export interface GateFacts {
  build: BuildState;
  /** Whether a staging deployment of this same build has succeeded. */
  stagingSucceededForBuild: boolean;
}

/** Every unmet gate for deploying the build to `environment`, so a refusal lists them all at once. */
export function unmetGates(environment: Environment, facts: GateFacts): string[] {
  const { build } = facts;
  // Without a build the other gates have nothing to look at.
  if (build.status === 'none') return ['the build does not exist'];
  const unmet: string[] = [];
  if (build.status !== 'succeeded') unmet.push(`the build has not succeeded (it is ${build.status})`);

  const testRun = build.latestTestRun;
  if (testRun === null) {
    unmet.push('no test run is recorded for the build');
  } else {
    if (testRun.failed > 0) unmet.push(`the latest test run has ${testRun.failed} failed tests`);
    if (testRun.coverage < MINIMUM_COVERAGE) {
      unmet.push(`the latest test run covers ${testRun.coverage}%, below the required ${MINIMUM_COVERAGE}%`);
    }
  }

  const scan = build.latestSecurityScan;
  if (scan === null) {
    unmet.push('no security scan is recorded for the build');
  } else {
    const serious = scan.findings.filter((finding) => finding.severity === 'high' || finding.severity === 'critical');
    if (serious.length > 0) {
      unmet.push(`the latest security scan has high or critical findings: ${serious.map((finding) => finding.id).join(', ')}`);
    }
  }

  if (environment === 'production' && !facts.stagingSucceededForBuild) {
    unmet.push('production needs a succeeded staging deployment of the same build');
  }
  return unmet;
}
