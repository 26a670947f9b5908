import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../src/eventstore/port.js';
import type { Doc } from '../../../src/readstore/port.js';
import type { ProjectionContext } from '../../../src/projections/projection.js';
import { deliveryMetricsProjection, emptyCounters, type DeliveryCounters } from '../../../src/projections/read-models/delivery-metrics.js';
import { deliveryFigures } from '../../../src/projections/read-models/delivery-figures.js';
import { deliveryDaily } from '../../../src/projections/read-models/delivery-daily.js';

/** The projection's documents in memory, applied event by event as the runner would. */
async function project(events: StoredEvent[]): Promise<Map<string, Doc>> {
  const docs = new Map<string, Doc>();
  const key = (collection: string, id: string) => `${collection}/${id}`;
  const context: ProjectionContext = {
    get: async (collection, id) => docs.get(key(collection, id)) ?? null,
    update: async (collection, id, change) => {
      const next = change(structuredClone(docs.get(key(collection, id)) ?? null));
      if (next === null) docs.delete(key(collection, id));
      else docs.set(key(collection, id), { ...next, id });
    },
  };
  for (const event of events) await deliveryMetricsProjection.apply(event, context);
  return docs;
}

let position = 0n;
function deployment(environment: string) {
  const id = randomUUID();
  const event = (type: string, at: string, data: Record<string, unknown> = {}): StoredEvent => ({
    id: randomUUID(),
    streamName: `deployment-${id}`,
    type,
    revision: 0,
    position: ++position,
    data: { environment, version: '1.0.0', ...data },
    metadata: { at },
    recordedAt: new Date(at),
  });
  return {
    started: (at: string) => event('DeploymentStarted', at, { buildId: 'B', featureId: 'F', strategy: 'canary' }),
    shifted: (at: string) => event('TrafficShifted', at, { step: 1, percent: 5 }),
    succeeded: (at: string) => event('DeploymentSucceeded', at),
    failed: (at: string) => event('DeploymentFailed', at, { reason: 'errors' }),
    rolledBack: (at: string) => event('DeploymentRolledBack', at, { reason: 'errors' }),
  };
}

async function countersAfter(events: StoredEvent[], environment: string): Promise<DeliveryCounters> {
  const docs = await project(events);
  return (docs.get(`delivery_metrics/${environment}`) as unknown as DeliveryCounters | undefined) ?? emptyCounters(environment);
}

describe('delivery metrics read model', () => {
  it('counts a failed deployment (failed then rolled back) as one deployment and one failure', async () => {
    const d = deployment('staging');
    const counters = await countersAfter([d.started('2026-03-01T10:00:00Z'), d.shifted('2026-03-01T10:01:00Z'), d.failed('2026-03-01T10:02:00Z'), d.rolledBack('2026-03-01T10:02:00Z')], 'staging');
    expect(counters).toMatchObject({ deployments: 1, successes: 0, failures: 1, failingSince: '2026-03-01T10:02:00Z' });
  });

  it('measures a restore from a failure to the next successful deployment in the same environment', async () => {
    const bad = deployment('production');
    const good = deployment('production');
    const other = deployment('staging');
    const counters = await countersAfter([
      bad.started('2026-03-01T10:00:00Z'),
      bad.failed('2026-03-01T10:05:00Z'),
      bad.rolledBack('2026-03-01T10:05:00Z'),
      other.started('2026-03-01T10:10:00Z'),
      other.succeeded('2026-03-01T10:15:00Z'),
      good.started('2026-03-01T10:30:00Z'),
      good.succeeded('2026-03-01T10:35:00Z'),
    ], 'production');
    expect(counters).toMatchObject({ deployments: 2, successes: 1, failures: 1, restores: 1, restoreMsTotal: 30 * 60_000, failingSince: null });
  });

  it('counts a succeeded deployment rolled back later as one deployment that failed', async () => {
    const d = deployment('production');
    const counters = await countersAfter([d.started('2026-03-01T10:00:00Z'), d.succeeded('2026-03-01T10:05:00Z'), d.rolledBack('2026-03-01T11:00:00Z')], 'production');
    expect(counters).toMatchObject({ deployments: 1, successes: 1, failures: 1, successesByDay: { '2026-03-01': 1 } });
  });
});

describe('DORA figures', () => {
  const counters: DeliveryCounters = {
    ...emptyCounters('production'),
    deployments: 4,
    successes: 3,
    failures: 1,
    successesByDay: { '2026-02-01': 1, '2026-03-05': 1, '2026-03-07': 1 },
    restores: 2,
    restoreMsTotal: 3 * 60_000,
  };

  it('give deployment frequency over the last 7 days, change failure rate, and mean time to restore', () => {
    const figures = deliveryFigures(counters, new Date('2026-03-07T12:00:00Z'));
    expect(figures).toMatchObject({
      environment: 'production',
      deploymentFrequency: { perDay: 0.286, inWindow: 2, windowDays: 7, total: 3 },
      changeFailureRate: 0.25,
      meanTimeToRestoreSeconds: 90,
    });
  });

  it('leave the rates undefined (null) before there is anything to measure', () => {
    const figures = deliveryFigures(emptyCounters('staging'), new Date('2026-03-07T12:00:00Z'));
    expect(figures).toMatchObject({ changeFailureRate: null, meanTimeToRestoreSeconds: null, deploymentFrequency: { perDay: 0, total: 0 } });
  });
});

describe('delivery metrics after a partly written batch', () => {
  it('given the link was written but the counters were lost, replaying the event counts it once', async () => {
    // The runner's guard: a document that already carries an event's position skips that event.
    const docs = new Map<string, Doc>();
    let dropCounters = false;
    const contextFor = (event: StoredEvent): ProjectionContext => ({
      get: async (collection, id) => docs.get(`${collection}/${id}`) ?? null,
      update: async (collection, id, change) => {
        const current = docs.get(`${collection}/${id}`) ?? null;
        if (current && BigInt(current._position as string) >= event.position) return;
        if (dropCounters && collection === 'delivery_metrics') return; // the write that was lost
        const next = change(structuredClone(current));
        if (next) docs.set(`${collection}/${id}`, { ...next, id, _position: event.position.toString() });
      },
    });
    const d = deployment('staging');
    const started = d.started('2026-04-01T10:00:00Z');
    const succeeded = d.succeeded('2026-04-01T10:05:00Z');
    await deliveryMetricsProjection.apply(started, contextFor(started));
    dropCounters = true;
    await deliveryMetricsProjection.apply(succeeded, contextFor(succeeded));
    dropCounters = false;
    await deliveryMetricsProjection.apply(succeeded, contextFor(succeeded)); // the replay
    await deliveryMetricsProjection.apply(succeeded, contextFor(succeeded)); // and once more
    expect(docs.get('delivery_metrics/staging')).toMatchObject({ deployments: 1, successes: 1, failures: 0 });
  });
});

describe('daily buckets', () => {
  it('keep each day\'s deployments, failures and restores, and give every day of the window (oldest first)', async () => {
    const bad = deployment('production');
    const good = deployment('production');
    const counters = await countersAfter([
      bad.started('2026-03-01T10:00:00Z'),
      bad.failed('2026-03-01T10:05:00Z'),
      bad.rolledBack('2026-03-01T10:05:00Z'),
      good.started('2026-03-02T09:00:00Z'),
      good.succeeded('2026-03-02T10:05:00Z'),
    ], 'production');
    expect(counters.byDay).toEqual({
      '2026-03-01': { deployments: 1, successes: 0, failures: 1, restores: 0, restoreMsTotal: 0 },
      '2026-03-02': { deployments: 1, successes: 1, failures: 0, restores: 1, restoreMsTotal: 24 * 3600_000 },
    });
    expect(deliveryDaily(counters, new Date('2026-03-03T08:00:00Z'), 3)).toEqual([
      { day: '2026-03-01', successes: 0, deployments: 1, failures: 1, changeFailureRate: 1, meanTimeToRestoreSeconds: null },
      { day: '2026-03-02', successes: 1, deployments: 1, failures: 0, changeFailureRate: 0, meanTimeToRestoreSeconds: 24 * 3600 },
      { day: '2026-03-03', successes: 0, deployments: 0, failures: 0, changeFailureRate: null, meanTimeToRestoreSeconds: null },
    ]);
  });
});
