import { html } from 'hono/html';
import type { Context } from 'hono';
import type { ConsoleEnv } from '../console.js';
import { jsonBlock, page, problemBox } from '../layout.js';

/** Pipeline runs, newest first. */
export async function pipelinesPage(c: Context<ConsoleEnv>) {
  const claims = c.get('session').claims;
  const cursor = c.req.query('cursor');
  const answer = await c.get('api')(`/api/pipelines?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  if (answer.status !== 200) return c.html(page('Pipelines', claims, problemBox(answer.body)), answer.status as 400);
  return c.html(
    page(
      'Pipelines',
      claims,
      html`<table id="pipelines"><thead><tr><th>run</th><th>status</th><th>stage</th><th>environment</th><th>version</th><th>started</th></tr></thead><tbody>
${(answer.body.items as any[]).map(
  (run) => html`<tr><td><a href="/ui/pipelines/${run.id}">${run.id}</a></td><td><span class="badge ${run.status}">${run.status}</span></td><td>${run.currentStage}</td><td>${run.environment}</td><td>${run.version}</td><td class="at">${run.startedAt ?? ''}</td></tr>`,
)}</tbody></table>
${answer.body.nextCursor ? html`<a href="/ui/pipelines?cursor=${answer.body.nextCursor}">Older →</a>` : ''}`,
    ),
  );
}

/** One run: its stages with progress, refreshed live by pipeline.js. */
export async function pipelineRunPage(c: Context<ConsoleEnv>) {
  const claims = c.get('session').claims;
  const id = c.req.param('id') ?? '';
  const [answer, history] = await Promise.all([c.get('api')(`/api/pipelines/${id}`), c.get('api')(`/api/pipelines/${id}/history?limit=1`)]);
  if (answer.status !== 200) return c.html(page(`Pipeline ${id}`, claims, problemBox(answer.body)), answer.status as 404);
  const startCommand = String(history.body?.items?.[0]?.metadata?.commandId ?? id);
  return c.html(
    page(
      `Pipeline ${id}`,
      claims,
      html`<p>Started by the command <a id="trace-link" href="/ui/commands/${startCommand}">${startCommand}</a> (see why everything in this run happened) ·
<a href="/ui?correlationId=${answer.body.correlationId}">its audit trail</a> · <a href="/ui/aggregates/pipeline/${id}">the aggregate</a></p>
<div id="run" data-id="${id}">${runView(answer.body)}</div>
<details><summary>document</summary>${jsonBlock(answer.body, 'run-document')}</details>`,
      'pipeline.js',
    ),
  );
}

export function runView(run: any) {
  const stages: Array<{ name: string; state: string; percent: number; detail: string }> = [
    { name: 'build', ...check(run.checks?.build) },
    { name: 'tests', ...check(run.checks?.test_run) },
    { name: 'scan', ...check(run.checks?.security_scan) },
    ...((run.deployments ?? []) as any[]).map((d) => ({ name: d.environment, state: d.status, percent: d.percent ?? 0, detail: `${d.percent ?? 0}% of traffic` })),
  ];
  return html`<p>Status <span class="badge ${run.status}" id="run-status">${run.status}</span> · stage <code id="run-stage">${run.currentStage}</code>${run.failureReason ? html` · <span class="problem-inline">${run.failureReason}</span>` : ''}</p>
<ol class="stages">${stages.map(
    (stage) => html`<li class="stage ${stage.state}" data-stage="${stage.name}"><strong>${stage.name}</strong> <span class="badge ${stage.state}">${stage.state}</span>
  <div class="bar"><div style="width:${stage.percent}%"></div></div><span class="muted">${stage.detail}</span></li>`,
  )}</ol>`;
}

function check(value: { passed: boolean; detail: string } | null | undefined) {
  if (!value) return { state: 'pending', percent: 0, detail: 'waiting' };
  return { state: value.passed ? 'succeeded' : 'failed', percent: 100, detail: value.detail };
}

/** The run's stages alone, for the run page's live refresh. */
export async function pipelineRunFragment(c: Context<ConsoleEnv>) {
  const answer = await c.get('api')(`/api/pipelines/${c.req.param('id') ?? ''}`);
  if (answer.status !== 200) return c.html(problemBox(answer.body), answer.status as 404);
  return c.html(runView(answer.body));
}
