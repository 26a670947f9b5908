import { html } from 'hono/html';
import type { Context } from 'hono';
import type { ConsoleEnv } from '../console.js';
import { page, problemBox } from '../layout.js';
import { barChart } from './charts.js';

const DAYS = new Set(['7', '30', '90']);

/** Deployment frequency, change failure rate and time to restore per environment over time. */
export async function metricsPage(c: Context<ConsoleEnv>) {
  const claims = c.get('session').claims;
  const days = DAYS.has(c.req.query('days') ?? '') ? c.req.query('days')! : '30';
  const api = c.get('api');
  const [daily, totals] = await Promise.all([api(`/api/metrics/delivery/daily?days=${days}`), api('/api/metrics/delivery')]);
  if (daily.status !== 200) return c.html(page('Delivery metrics', claims, problemBox(daily.body)), daily.status as 400);
  const summary = new Map(((totals.body?.items ?? []) as any[]).map((item) => [item.environment, item]));
  const percent = (value: number) => `${Math.round(value * 100)}%`;
  const duration = (seconds: number) => (seconds >= 3600 ? `${(seconds / 3600).toFixed(1)} h` : seconds >= 60 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds)} s`);
  return c.html(
    page(
      'Delivery metrics',
      claims,
      html`<p>Last ${[...DAYS].map((d, i) => html`${i > 0 ? " · " : ""}${d === days ? html`<strong>${d}</strong>` : html`<a href="/ui/metrics?days=${d}">${d}</a>`}`)} days, by UTC day.</p>
${(daily.body.items as any[]).map((series) => {
  const totalsOf = summary.get(series.environment);
  return html`<section class="env" data-environment="${series.environment}">
<h2>${series.environment}</h2>
<p class="muted">${totalsOf ? html`${totalsOf.deploymentFrequency.perDay} successful deployments a day over ${totalsOf.deploymentFrequency.windowDays} days · change failure rate ${totalsOf.changeFailureRate === null ? '–' : percent(totalsOf.changeFailureRate)} · mean time to restore ${totalsOf.meanTimeToRestoreSeconds === null ? '–' : duration(totalsOf.meanTimeToRestoreSeconds)}` : ''}</p>
<div class="charts">
${barChart('Deployment frequency (successful deployments)', series.days.map((d: any) => ({ label: d.day, value: d.successes })), (v) => String(Math.round(v * 10) / 10), `frequency-${series.environment}`)}
${barChart('Change failure rate', series.days.map((d: any) => ({ label: d.day, value: d.changeFailureRate })), percent, `failure-rate-${series.environment}`)}
${barChart('Time to restore', series.days.map((d: any) => ({ label: d.day, value: d.meanTimeToRestoreSeconds })), duration, `restore-${series.environment}`)}
</div></section>`;
})}`,
    ),
  );
}
