import type { DeliveryCounters } from './delivery-metrics.js';

const DAY_MS = 24 * 3600 * 1000;

/** One UTC day of an environment's DORA figures. */
export interface DeliveryDay {
  day: string;
  /** Successful deployments that day (deployment frequency). */
  successes: number;
  /** Deployments whose first outcome came that day. */
  deployments: number;
  failures: number;
  /** Failures over deployments that day; null on a day without deployments. */
  changeFailureRate: number | null;
  /** Mean time to restore of the restores that day; null on a day without one. */
  meanTimeToRestoreSeconds: number | null;
}

/** The last `days` UTC days up to `now`, oldest first, every day present (zeros when quiet). */
export function deliveryDaily(counters: DeliveryCounters, now: Date, days: number): DeliveryDay[] {
  const result: DeliveryDay[] = [];
  for (let back = days - 1; back >= 0; back--) {
    const day = new Date(now.getTime() - back * DAY_MS).toISOString().slice(0, 10);
    const bucket = counters.byDay?.[day];
    const deployments = bucket?.deployments ?? 0;
    result.push({
      day,
      successes: bucket?.successes ?? 0,
      deployments,
      failures: bucket?.failures ?? 0,
      // A deployment that succeeded on an earlier day and failed on this one counts here too.
      changeFailureRate: deployments === 0 ? null : Math.min(1, Math.round(((bucket?.failures ?? 0) / deployments) * 1000) / 1000),
      meanTimeToRestoreSeconds: bucket && bucket.restores > 0 ? Math.round(bucket.restoreMsTotal / bucket.restores / 1000) : null,
    });
  }
  return result;
}
