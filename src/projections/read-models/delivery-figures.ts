import type { DeliveryCounters } from './delivery-metrics.js';

export const WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

export interface DeliveryFigures {
  environment: string;
  deploymentFrequency: {
    /** Successful deployments per day over the last WINDOW_DAYS days (today included). */
    perDay: number;
    inWindow: number;
    windowDays: number;
    total: number;
  };
  /** Share of deployments that failed or were rolled back; null before any deployment. */
  changeFailureRate: number | null;
  /** Mean time from a failure to the next successful deployment; null before any restore. */
  meanTimeToRestoreSeconds: number | null;
  deployments: number;
  failures: number;
  restores: number;
  failingSince: string | null;
  lastDeploymentAt: string | null;
}

/** The DORA figures of one environment at `now`, from the monitoring read model's counters. */
export function deliveryFigures(counters: DeliveryCounters, now: Date): DeliveryFigures {
  const firstDay = new Date(now.getTime() - (WINDOW_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  const inWindow = Object.entries(counters.successesByDay)
    .filter(([day]) => day >= firstDay)
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    environment: counters.environment,
    deploymentFrequency: { perDay: round(inWindow / WINDOW_DAYS), inWindow, windowDays: WINDOW_DAYS, total: counters.successes },
    changeFailureRate: counters.deployments === 0 ? null : round(counters.failures / counters.deployments),
    meanTimeToRestoreSeconds: counters.restores === 0 ? null : round(counters.restoreMsTotal / counters.restores / 1000),
    deployments: counters.deployments,
    failures: counters.failures,
    restores: counters.restores,
    failingSince: counters.failingSince,
    lastDeploymentAt: counters.lastDeploymentAt,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
