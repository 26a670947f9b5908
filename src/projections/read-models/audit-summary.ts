import { z } from 'zod';
import type { EventData, EventType, LoggedEvent } from '../../events/typed-events.js';

// One human line per event for the audit timeline ("alice renamed feature 'Login' to 'SSO login'").
// Event data is self-contained, so a summary never needs another read.

type Summarizers = { [Type in EventType]: (data: EventData<Type>, actor: string, id: string) => string };
type Changes = Record<string, unknown>;

const quote = (value: unknown) => `'${String(value)}'`;

function describeChanges(kind: string, data: { changes: Changes; previous: Changes }, actor: string, id: string): string {
  const { changes, previous } = data;
  const parts = Object.keys(changes).map((field) => {
    if ((field === 'name' || field === 'title') && previous[field] !== undefined) {
      return `renamed ${kind} ${quote(previous[field])} to ${quote(changes[field])}`;
    }
    const before = previous[field] === undefined ? '' : ` from ${JSON.stringify(previous[field])}`;
    return `changed ${field} of ${kind} ${id}${before} to ${JSON.stringify(changes[field])}`;
  });
  return `${actor} ${parts.length > 0 ? parts.join(', ') : `updated ${kind} ${id}`}`;
}

// Every domain event type has a line: a new event type does not compile until it has one.
const SUMMARIES: Summarizers = {
  RequirementCaptured: (d, a) => `${a} captured requirement ${quote(d.title)} (${d.priority})`,
  RequirementRevised: (d, a, id) => describeChanges('requirement', d, a, id),
  RequirementApproved: (d, a) => `${a} approved requirement ${quote(d.title)}`,
  RequirementRejected: (d, a) => `${a} rejected requirement ${quote(d.title)}: ${d.reason}`,
  RequirementWithdrawn: (d, a) => `${a} withdrew requirement ${quote(d.title)}`,
  RequirementReverted: (d, a, id) => (d.toRevision === undefined ? `${a} restored requirement ${id}` : `${a} reverted requirement ${quote(d.state.title)} to revision ${d.toRevision}`),
  FeatureCreated: (d, a) => `${a} created feature ${quote(d.name)} (${d.complexityPoints} points, ${d.developer})`,
  FeatureUpdated: (d, a, id) => describeChanges('feature', d, a, id),
  FeatureDeleted: (d, a) => `${a} deleted feature ${quote(d.name)}`,
  FeatureRestored: (d, a) => `${a} restored feature ${quote(d.name)}`,
  FeatureReverted: (d, a, id) => (d.toRevision === undefined ? `${a} restored feature ${id}` : `${a} reverted feature ${quote(d.state.name)} to revision ${d.toRevision}`),
  BuildRequested: (d, a) => `${a} requested a build of commit ${String(d.commit).slice(0, 12)}`,
  BuildSucceeded: (d, a, id) => `${a} recorded build ${id} as succeeded in ${d.durationMs} ms`,
  BuildFailed: (d, a, id) => `${a} recorded build ${id} as failed after ${d.durationMs} ms`,
  TestRunRecorded: (d, a, id) => `${a} recorded a test run of build ${id}: ${d.passed} passed, ${d.failed} failed, ${d.coverage}% coverage`,
  SecurityScanRecorded: (d, a, id) => `${a} recorded a security scan of build ${id}: ${d.findings.length} finding(s)`,
  DeploymentStarted: (d, a) => `${a} started deploying ${d.version} to ${d.environment} (${d.strategy})`,
  TrafficShifted: (d, a, id) => `${a} shifted deployment ${id} to ${d.percent}% traffic`,
  DeploymentSucceeded: (d, a, id) => `${a} completed deployment ${id}${d.version ? ` of ${d.version}` : ''}`,
  DeploymentFailed: (d, a, id) => `${a} marked deployment ${id} as failed: ${d.reason}`,
  DeploymentRolledBack: (d, a, id) => `${a} rolled back deployment ${id}: ${d.reason}`,
  IncidentOpened: (d, a) => `${a} opened an incident for deployment ${d.deploymentId} in ${d.environment}`,
  IncidentResolved: (d, a, id) => `${a} resolved incident ${id}: ${d.resolution}`,
  PipelineStarted: (d, a, id) => `${a} started pipeline ${id}: ${d.version} to ${d.environment} (${d.strategy}) from commit ${String(d.commit).slice(0, 12)}`,
  PipelineCheckRecorded: (d, a, id) => `${a} saw the ${d.check} of pipeline ${id} ${d.passed ? 'pass' : 'fail'}: ${d.detail}`,
  PipelineDeploymentStarted: (d, a, id) => `${a} started the ${d.environment} deployment of pipeline ${id}`,
  PipelineDeploymentSucceeded: (d, a, id) => `${a} saw the ${d.environment} deployment of pipeline ${id} succeed`,
  PipelineSucceeded: (d, a, id) => `${a} completed pipeline ${id}: ${d.version} is live in ${d.environment}`,
  PipelineFailed: (d, a, id) => `${a} failed pipeline ${id}: ${d.reason}${d.rolledBack ? ' (rolled back)' : ''}`,
  TestCasesGenerated: (d, a, id) => `${a} generated ${d.cases.length} test case(s) for feature ${id}`,
};

/** Environment reservations are the command pipeline's bookkeeping, not a domain event: read as found. */
const reservationSchema = z.object({ deploymentId: z.string(), version: z.string() });

function describeReservation(data: unknown, actor: string, environment: string): string {
  const { deploymentId, version } = reservationSchema.parse(data);
  return `${actor} reserved ${environment} for deployment ${deploymentId} of ${version}`;
}

export function summarize(event: LoggedEvent, actor: string): string {
  const { type, data, aggregateId } = event;
  const summarizer = (SUMMARIES as Partial<Record<string, (data: unknown, actor: string, id: string) => string>>)[type];
  try {
    if (type === 'EnvironmentReserved') return describeReservation(data, actor, aggregateId);
    return summarizer ? summarizer(data, actor, aggregateId) : `${actor} recorded ${type} on ${aggregateId}`;
  } catch {
    // Data written by another tool, in a shape the summary does not know: say what is certain.
    return `${actor} recorded ${type} on ${aggregateId}`;
  }
}
