import { Gauge, type Registry } from 'prom-client';
import type { DeliveryFigures } from '../projections/read-models/delivery-figures.js';

/**
 * The DORA figures as Prometheus gauges, read from the monitoring read model at scrape time.
 * A figure not defined yet (no deployment, no restore) is left out rather than reported as 0.
 */
export function registerDeliveryGauges(registry: Registry, figures: () => Promise<DeliveryFigures[]>): void {
  const gauge = (name: string, help: string, value: (figures: DeliveryFigures) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['environment'] as const,
      registers: [registry],
      async collect() {
        // A read store outage keeps the last values rather than failing the whole scrape.
        const all = await figures().catch(() => null);
        if (!all) return;
        this.reset();
        for (const figure of all) {
          const v = value(figure);
          if (v !== null) this.set({ environment: figure.environment }, v);
        }
      },
    });
  gauge('agent_ledger_delivery_deployments_per_day', 'Successful deployments per day over the last 7 days', (f) => f.deploymentFrequency.perDay);
  gauge('agent_ledger_delivery_change_failure_rate', 'Share of deployments that failed or were rolled back', (f) => f.changeFailureRate);
  gauge('agent_ledger_delivery_mean_time_to_restore_seconds', 'Mean time from a failed deployment to the next successful one', (f) => f.meanTimeToRestoreSeconds);
}
