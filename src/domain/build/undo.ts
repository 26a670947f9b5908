import { NotUndoableError } from '../errors.js';
import type { BuildEvent } from './events.js';
import { buildFields, type BuildState } from './state.js';

/** The state fields an event sets: undo is refused when a later command set the same ones. */
export function touchedFields(event: BuildEvent): string[] {
  switch (event.type) {
    case 'BuildRequested':
      return [...buildFields];
    case 'BuildSucceeded':
    case 'BuildFailed':
      return ['status', 'durationMs'];
    case 'TestRunRecorded':
      return ['latestTestRun'];
    case 'SecurityScanRecorded':
      return ['latestSecurityScan'];
  }
}

/**
 * Everything a build records happened in the outside world (a build ran, tests ran, a scanner
 * reported): there is nothing to compensate, so every build command refuses to be undone.
 */
export function compensate(events: BuildEvent[], _stateBefore: BuildState, _stateNow: BuildState): BuildEvent[] {
  const type = events[0]?.type ?? 'the command';
  throw new NotUndoableError(type, `${type} records a fact about a build and cannot be undone`);
}
