import { positionKey } from '../../events/positions.js';
import type { TypedEvent } from '../../events/typed-events.js';
import type { Doc } from '../../readstore/port.js';
import { projectionOf, type ProjectionContext } from '../projection.js';

/** What the monitoring agent keeps per environment; the DORA figures are computed from it. */
export interface DeliveryCounters {
  environment: string;
  /** Deployments that reached an outcome: succeeded, failed or rolled back (each counted once). */
  deployments: number;
  successes: number;
  /** Deployments that failed or were rolled back, even after succeeding (each counted once). */
  failures: number;
  /** Successful deployments per UTC day, 'YYYY-MM-DD' → count. */
  successesByDay: Record<string, number>;
  /** Set while the environment is failed: from a failure until the next success there. */
  failingSince: string | null;
  restores: number;
  restoreMsTotal: number;
  lastDeploymentAt: string | null;
  /** The same outcomes per UTC day of the event that set them, for charts over time. */
  byDay: Record<string, DayCounters>;
}

export interface DayCounters {
  /** Deployments whose first outcome came that day. */
  deployments: number;
  successes: number;
  failures: number;
  restores: number;
  restoreMsTotal: number;
}

const emptyDay = (): DayCounters => ({ deployments: 0, successes: 0, failures: 0, restores: 0, restoreMsTotal: 0 });

/**
 * A deployment's environment and the positions of the events that first counted its success and
 * its failure. Positions rather than flags: when a batch is replayed after the link was written but
 * the counters were not, the event that set a position recognises itself and counts again (the
 * counters document's own position guard keeps that from counting twice).
 */
interface DeploymentOutcome {
  environment: string;
  succeededAt: string | null;
  failedAt: string | null;
}

/**
 * The monitoring agent's read model: per environment, the counters behind the DORA metrics
 * (deployment frequency, change failure rate, mean time to restore). A restore is the first
 * successful deployment after a failure in the same environment. Later deployment events do not
 * name their environment, so the projection links each deployment to it at the start.
 */
export const deliveryMetricsProjection = projectionOf({
  name: 'delivery-metrics',
  // 2: daily buckets (byDay).
  version: 2,
  collections: { delivery_metrics: [], delivery_deployments: [] },
  handlers: {
    async DeploymentStarted(event, context) {
      const deploymentId = event.aggregateId;
      await context.update('delivery_deployments', deploymentId, () => ({ id: deploymentId, environment: event.data.environment, succeededAt: null, failedAt: null }));
    },
    DeploymentSucceeded: countOutcome,
    DeploymentFailed: countOutcome,
    DeploymentRolledBack: countOutcome,
  },
});

async function countOutcome(event: TypedEvent<'DeploymentSucceeded' | 'DeploymentFailed' | 'DeploymentRolledBack'>, context: ProjectionContext): Promise<void> {
  const deploymentId = event.aggregateId;
  const at = event.metadata.at ?? event.recordedAt.toISOString();
  const link = (await context.get('delivery_deployments', deploymentId)) as (Doc & DeploymentOutcome) | null;
  if (!link) return;
  const succeeded = event.type === 'DeploymentSucceeded';
  const failed = !succeeded;
  const position = positionKey(event.position);
  const countedEarlier = (setAt: string | null) => setAt !== null && setAt < position;
  if ((succeeded && countedEarlier(link.succeededAt)) || (failed && countedEarlier(link.failedAt))) return;
  const firstOutcome = !countedEarlier(link.succeededAt) && !countedEarlier(link.failedAt);

  await context.update('delivery_deployments', deploymentId, (doc) => ({
    ...(doc ?? link),
    succeededAt: succeeded ? (link.succeededAt ?? position) : link.succeededAt,
    failedAt: failed ? (link.failedAt ?? position) : link.failedAt,
  }));
  await context.update('delivery_metrics', link.environment, (doc) => {
    const counters = (doc as (Doc & DeliveryCounters) | null) ?? emptyCounters(link.environment);
    const next: DeliveryCounters = { ...counters, deployments: counters.deployments + (firstOutcome ? 1 : 0) };
    const day = at.slice(0, 10);
    const today = { ...emptyDay(), ...counters.byDay?.[day] };
    today.deployments += firstOutcome ? 1 : 0;
    next.byDay = { ...counters.byDay, [day]: today };
    if (succeeded) {
      today.successes += 1;
      next.successes += 1;
      next.successesByDay = { ...counters.successesByDay, [day]: (counters.successesByDay[day] ?? 0) + 1 };
      next.lastDeploymentAt = at;
      if (counters.failingSince !== null) {
        const restoreMs = Math.max(0, Date.parse(at) - Date.parse(counters.failingSince));
        next.restores += 1;
        next.restoreMsTotal += restoreMs;
        today.restores += 1;
        today.restoreMsTotal += restoreMs;
        next.failingSince = null;
      }
    } else {
      next.failures += 1;
      today.failures += 1;
      next.failingSince = counters.failingSince ?? at;
    }
    return { ...next, id: link.environment };
  });
}

export function emptyCounters(environment: string): DeliveryCounters {
  return { environment, deployments: 0, successes: 0, failures: 0, successesByDay: {}, failingSince: null, restores: 0, restoreMsTotal: 0, lastDeploymentAt: null, byDay: {} };
}
