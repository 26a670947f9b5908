import type { Decider } from '../decider.js';
import { DomainConflictError, DomainRuleError } from '../errors.js';
import type { FeatureState } from '../feature/state.js';
import { requireExisting, requireNew } from '../shared/existence.js';
import { requireFact } from '../shared/facts.js';
import type { BuildCommand } from './commands.js';
import type { BuildEvent } from './events.js';
import { initialBuildState, type BuildState, type ExistingBuildState } from './state.js';

const AGGREGATE = 'build';

/** request reads the feature being built. */
export interface BuildFacts {
  feature?: FeatureState;
}

export const buildDecider: Decider<BuildState, BuildCommand, BuildEvent, BuildFacts> = {
  aggregateType: AGGREGATE,
  initialState: initialBuildState,
  evolve: evolveBuild,
  decide: decideBuild,
};

function decideBuild(command: BuildCommand, state: BuildState, facts: BuildFacts | undefined): BuildEvent[] {
  if (command.type === 'request') {
    requireNew(state, AGGREGATE);
    requireBuildableFeature(requireFact(facts?.feature, 'feature', 'build.request'));
    const { featureId, commit, repository } = command.data;
    return [{ type: 'BuildRequested', data: { featureId, commit, repository: repository ?? null } }];
  }
  const build = requireExisting<ExistingBuildState>(state, AGGREGATE);
  switch (command.type) {
    case 'recordResult': {
      // A result is recorded once: a second one would rewrite what the gates already relied on.
      if (build.status !== 'requested') throw new DomainConflictError(`the build result is already recorded: ${build.status}`);
      const data = { featureId: build.featureId, commit: build.commit, durationMs: command.data.durationMs };
      return [command.data.outcome === 'succeeded' ? { type: 'BuildSucceeded', data } : { type: 'BuildFailed', data }];
    }
    // Test runs and scans may be repeated (a rerun, a rescan): the latest one counts.
    case 'recordTestRun':
      return [{ type: 'TestRunRecorded', data: command.data }];
    case 'recordSecurityScan':
      return [{ type: 'SecurityScanRecorded', data: command.data }];
  }
}

function requireBuildableFeature(feature: FeatureState): void {
  if (feature.status === 'none') throw new DomainRuleError('the feature does not exist');
  if (feature.status === 'deleted') throw new DomainRuleError('the feature is deleted');
}

function evolveBuild(state: BuildState, event: BuildEvent): BuildState {
  if (event.type === 'BuildRequested') {
    return { status: 'requested', ...event.data, durationMs: null, latestTestRun: null, latestSecurityScan: null };
  }
  // Any other event before the request cannot come from this decider: leave the state alone.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'BuildSucceeded':
      return { ...state, status: 'succeeded', durationMs: event.data.durationMs };
    case 'BuildFailed':
      return { ...state, status: 'failed', durationMs: event.data.durationMs };
    case 'TestRunRecorded':
      return { ...state, latestTestRun: event.data };
    case 'SecurityScanRecorded':
      return { ...state, latestSecurityScan: event.data };
  }
}
