import { NotUndoableError } from '../errors.js';
import type { IncidentEvent } from './events.js';
import { incidentFields, type IncidentState } from './state.js';

/** The state fields an event sets: undo is refused when a later command set the same ones. */
export function touchedFields(event: IncidentEvent): string[] {
  return event.type === 'IncidentOpened' ? [...incidentFields] : ['status', 'resolution'];
}

/** An incident happened and was dealt with: neither is taken back. */
export function compensate(events: IncidentEvent[], _stateBefore: IncidentState, _stateNow: IncidentState): IncidentEvent[] {
  const type = events[0]?.type ?? 'the command';
  throw new NotUndoableError(type, `${type} records an incident and cannot be undone`);
}
