import type { Decider } from '../decider.js';
import { DomainConflictError } from '../errors.js';
import { requireExisting, requireNew } from '../shared/existence.js';
import type { IncidentCommand } from './commands.js';
import type { IncidentEvent } from './events.js';
import { initialIncidentState, type ExistingIncidentState, type IncidentState } from './state.js';

const AGGREGATE = 'incident';

/** Incidents need nothing beyond their own stream: no facts. */
export const incidentDecider: Decider<IncidentState, IncidentCommand, IncidentEvent, undefined> = {
  aggregateType: AGGREGATE,
  initialState: initialIncidentState,
  evolve: evolveIncident,
  decide: decideIncident,
};

function decideIncident(command: IncidentCommand, state: IncidentState): IncidentEvent[] {
  if (command.type === 'open') {
    // Opened once: the agent may see the same deployment event again and must add nothing.
    requireNew(state, AGGREGATE);
    return [{ type: 'IncidentOpened', data: command.data }];
  }
  const incident = requireExisting<ExistingIncidentState>(state, AGGREGATE);
  if (incident.status === 'resolved') throw new DomainConflictError('the incident is already resolved');
  const { deploymentId, environment } = incident;
  return [{ type: 'IncidentResolved', data: { deploymentId, environment, resolution: command.data.resolution } }];
}

function evolveIncident(state: IncidentState, event: IncidentEvent): IncidentState {
  if (event.type === 'IncidentOpened') return { status: 'open', ...event.data, resolution: null };
  // A resolution before the opening cannot come from this decider: leave the state alone.
  if (state.status === 'none') return state;
  return { ...state, status: 'resolved', resolution: event.data.resolution };
}
