import { html } from 'hono/html';
import type { Context } from 'hono';
import type { ConsoleEnv } from '../console.js';
import { jsonBlock, page, problemBox } from '../layout.js';
import { hasRole } from '../../auth/roles.js';

/** Projections: status, lag, generation, live rebuild progress, parked events; admins also act on them. */
export async function operationsPage(c: Context<ConsoleEnv>) {
  const claims = c.get('session').claims;
  const answer = await c.get('api')('/api/projections');
  if (answer.status !== 200) return c.html(page('Operations', claims, problemBox(answer.body)), answer.status as 403);
  return c.html(
    page(
      'Operations',
      claims,
      html`<table id="projections"><thead><tr><th>projection</th><th>version</th><th>status</th><th>lag</th><th>generation</th><th>rebuild</th><th>parked</th><th></th></tr></thead>
<tbody>${(answer.body.items as any[]).map((p) => projectionRow(p, hasRole(claims.role, 'admin')))}</tbody></table>
<section class="card"><h2>Parked events</h2><div id="parked" class="muted">Choose a projection's parked count to list them.</div></section>
<details><summary>raw status</summary>${jsonBlock(answer.body, 'projections-raw')}</details>`,
      'operations.js',
    ),
  );
}

export function projectionRow(p: any, admin: boolean) {
  const rebuild = p.rebuild;
  return html`<tr data-name="${p.name}">
  <td>${p.name}</td><td>${p.version}</td><td class="status"><span class="badge">${p.status}</span></td><td class="lag">${p.lag ?? ''}</td><td>${p.generation}${rebuild?.owner ? html` · rebuilt by ${rebuild.owner}` : ''}</td>
  <td class="rebuild">${rebuild
    ? html`<div class="bar" role="progressbar" aria-valuenow="${rebuild.progress?.percent ?? 0}"><div style="width:${rebuild.progress?.percent ?? 0}%"></div></div> <span class="percent">${rebuild.progress?.percent ?? 0}%</span> ${rebuild.state}`
    : p.lastRebuild ? html`<span class="muted last-rebuild">last rebuild ${p.lastRebuild.status} ${p.lastRebuild.finishedAt}</span>` : ''}</td>
  <td><button class="show-parked" data-name="${p.name}">${p.parked ?? 0}</button></td>
  <td>${!admin ? '' : rebuild ? html`<button class="rebuild-cancel" data-name="${p.name}">Cancel</button>` : html`<button class="rebuild-start" data-name="${p.name}">Rebuild</button>`}</td>
</tr>`;
}

/** The table rows alone, for the page's live refresh. */
export async function projectionRowsFragment(c: Context<ConsoleEnv>) {
  const answer = await c.get('api')('/api/projections');
  if (answer.status !== 200) return c.html(problemBox(answer.body), answer.status as 403);
  const admin = hasRole(c.get('session').claims.role, 'admin');
  return c.html(html`${(answer.body.items as any[]).map((p) => projectionRow(p, admin))}`);
}
