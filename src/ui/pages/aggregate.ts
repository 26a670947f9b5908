import { html } from 'hono/html';
import type { Context } from 'hono';
import type { ConsoleEnv } from '../console.js';
import { hasRole } from '../../auth/roles.js';
import { jsonBlock, page, problemBox } from '../layout.js';
import { COLLECTIONS, commandLink } from './links.js';

const REVERTIBLE = new Set(['requirement', 'feature']);

/** State, history, revision slider, diff of two revisions, undo and revert with a preview. */
export async function aggregatePage(c: Context<ConsoleEnv>) {
  const type = c.req.param('type') ?? '';
  const id = c.req.param('id') ?? '';
  const claims = c.get('session').claims;
  const collection = COLLECTIONS[type];
  const title = `${type} ${id}`;
  if (!collection) return c.html(page('Unknown aggregate', claims, problemBox({ status: 404, title: 'not found', detail: `no aggregate type ${type}` })), 404);
  const api = c.get('api');
  const [current, history] = await Promise.all([api(`/api/${collection}/${id}`), api(`/api/${collection}/${id}/history?limit=500`)]);
  if (history.status !== 200) return c.html(page(title, claims, problemBox(history.body)), history.status as 404);
  const events = history.body.items as any[];
  const latest = events.at(-1)?.revision ?? 0;
  const canAct = hasRole(claims.role, 'engineer');
  // One row per command: undo works on commands, which may have appended several events.
  const seen = new Set<string>();
  const rows = events.map((event) => {
    const commandId = event.metadata?.commandId as string | undefined;
    const firstOfCommand = commandId !== undefined && !seen.has(commandId);
    if (commandId) seen.add(commandId);
    return html`<tr data-revision="${event.revision}">
  <td>${event.revision}</td><td class="at">${event.metadata?.at ?? ''}</td><td>${event.metadata?.actor ?? ''}</td><td><code>${event.type}</code></td>
  <td><details><summary>data</summary>${jsonBlock(event.data)}</details></td>
  <td>${commandId ? commandLink(commandId) : ''}${event.metadata?.undoOf ? html` <span class="badge">undo of ${commandLink(event.metadata.undoOf)}</span>` : ''}</td>
  <td>${canAct && firstOfCommand ? html`<button class="undo" data-command="${commandId}">Undo…</button>` : ''}</td>
</tr>`;
  });
  const revisionOptions = (selected: number) => events.map((event) => html`<option value="${event.revision}"${event.revision === selected ? ' selected' : ''}>${event.revision} · ${event.type}</option>`);
  return c.html(
    page(
      title,
      claims,
      html`<div id="aggregate" data-collection="${collection}" data-id="${id}" data-latest="${latest}"></div>
<div class="grid">
<section class="card">
  <h2>Current state</h2>
  ${current.status === 200 ? jsonBlock(current.body, 'current-state') : problemBox(current.body)}
</section>
<section class="card">
  <h2>Time travel</h2>
  <label>Revision <input type="range" id="revision-slider" min="0" max="${latest}" value="${latest}" step="1"> <output id="revision-label">${latest}</output></label>
  <label>or at time <input id="at-time" placeholder="${events.at(-1)?.metadata?.at ?? ''}"> <button id="at-go" type="button">Show</button></label>
  <div id="state-at-meta" class="muted"></div>
  ${jsonBlock(current.body, 'state-at')}
  ${canAct && REVERTIBLE.has(type) ? html`<button id="revert" type="button">Revert to this revision…</button>` : ''}
</section>
</div>
<section class="card">
  <h2>Diff of two revisions</h2>
  <label>From <select id="diff-a">${revisionOptions(0)}</select></label>
  <label>to <select id="diff-b">${revisionOptions(latest)}</select></label>
  <button id="diff-go" type="button">Compare</button>
  <table id="diff"><thead><tr><th>field</th><th>from</th><th>to</th></tr></thead><tbody></tbody></table>
</section>
<section class="card">
  <h2>History</h2>
  <table id="history"><thead><tr><th>rev</th><th>at</th><th>actor</th><th>event</th><th>data</th><th>command</th><th></th></tr></thead><tbody>${rows}</tbody></table>
</section>
<dialog id="preview">
  <h2 id="preview-title">Preview</h2>
  <p class="muted">These events would be appended; nothing has been written yet.</p>
  <pre class="json" id="preview-events"></pre>
  <div id="preview-problem"></div>
  <form method="dialog"><button id="preview-confirm" value="confirm">Confirm</button> <button value="cancel">Cancel</button></form>
</dialog>
<div id="action-result"></div>`,
      'aggregate.js',
    ),
  );
}
