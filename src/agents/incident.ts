import { openIncidentSchema, type IncidentCause } from '../domain/incident/index.js';
import type { TypedEvent } from '../events/typed-events.js';
import type { AgentActor } from './agent-actor.js';
import { reactorOf, type TypedReactor } from './reactor.js';

const REASON_LIMIT = 2000;

/**
 * The incident agent: a failed or rolled-back deployment opens an incident, caused by that event.
 *
 * One incident per failure, not per event: `fail` appends DeploymentFailed and then
 * DeploymentRolledBack in one command, and that is one thing going wrong, so both events map to
 * the same incident id (derived from the command that appended them). The first of them, the
 * DeploymentFailed, opens it and is its causation; the second finds it open and adds nothing.
 * A rollback on its own (of a deployment in progress or one that had succeeded) is its own
 * failure and opens its own incident. Every such event thus has exactly one incident.
 */
export function incidentAgent(actor: AgentActor): TypedReactor {
  const openIncident = async (event: TypedEvent<IncidentCause>) => {
    const { aggregateId: deploymentId, data } = event;
    const failure = event.metadata.commandId ?? event.id;
    const command = openIncidentSchema.parse({
      deploymentId,
      environment: data.environment,
      reason: data.reason.trim().slice(0, REASON_LIMIT) || event.type,
      causedBy: event.type,
    });
    const incidentId = actor.idFor(event, 'incident', deploymentId, failure);
    await actor.issue(event, { aggregateType: 'incident', id: incidentId, command: { type: 'open', data: command } });
  };
  return reactorOf(actor.actor, { DeploymentFailed: openIncident, DeploymentRolledBack: openIncident });
}
