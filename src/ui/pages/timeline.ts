import { html } from 'hono/html';
import type { Context } from 'hono';
import type { ConsoleEnv } from '../console.js';
import { page, problemBox } from '../layout.js';
import { aggregateLink, commandLink } from './links.js';

export const AUDIT_FILTERS = ['actor', 'aggregateType', 'aggregateId', 'type', 'correlationId', 'commandId', 'from', 'to'] as const;

/** Query string of the non-empty filters (plus extras), for the API and for links. */
export function filterQuery(values: Record<string, string | undefined>, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  for (const name of AUDIT_FILTERS) {
    const value = values[name]?.trim();
    if (value) query.set(name, value);
  }
  for (const [name, value] of Object.entries(extra)) query.set(name, value);
  return query.toString();
}

export function entryRow(entry: any) {
  return html`<tr data-position="${entry.position}">
  <td class="at">${entry.at}</td>
  <td>${entry.actor}</td>
  <td>${aggregateLink(entry.aggregateType, entry.aggregateId)} <span class="muted">r${entry.revision}</span></td>
  <td><code>${entry.type}</code></td>
  <td>${entry.summary}</td>
  <td>${entry.commandId ? commandLink(entry.commandId) : ''}${entry.undoOf ? html` <span class="badge">undo of ${commandLink(entry.undoOf)}</span>` : ''}</td>
</tr>`;
}

/** The audit timeline: every filter, newest first, paged by cursor; the first page is live. */
export async function timelinePage(c: Context<ConsoleEnv>) {
  const values = c.req.query();
  const cursor = values.cursor;
  const limit = values.limit && /^\d{1,3}$/.test(values.limit) ? values.limit : '25';
  const answer = await c.get('api')(`/api/audit?${filterQuery(values, { limit, ...(cursor ? { cursor } : {}) })}`);
  const claims = c.get('session').claims;
  if (answer.status !== 200) return c.html(page('Audit timeline', claims, html`${filterForm(values, limit)}${problemBox(answer.body)}`), answer.status as 400);
  const items = answer.body.items as any[];
  const newest = items[0]?.position;
  // Live entries join the first page only: later pages are a fixed window into the past.
  // An empty first page means nothing matched yet, so every matching entry from the start is news.
  const stream = cursor ? '' : `/ui/api/audit/stream?${filterQuery(values, { after: newest ?? '0' })}`;
  const next = answer.body.nextCursor ? `/ui?${filterQuery(values, { limit, cursor: answer.body.nextCursor })}` : null;
  return c.html(
    page(
      'Audit timeline',
      claims,
      html`${filterForm(values, limit)}
<p class="status"><span id="live-status">${stream ? 'live' : 'page of earlier entries'}</span></p>
<table id="timeline" data-stream="${stream}">
<thead><tr><th>at</th><th>actor</th><th>aggregate</th><th>event</th><th>summary</th><th>command</th></tr></thead>
<tbody>${items.map(entryRow)}</tbody>
</table>
${items.length === 0 ? html`<p class="muted" id="empty">No entries match.</p>` : ''}
<nav class="pager">${cursor ? html`<a href="/ui?${filterQuery(values, { limit })}">Newest</a>` : ''} ${next ? html`<a id="next-page" href="${next}">Older →</a>` : ''}</nav>`,
      'timeline.js',
    ),
  );
}

function filterForm(values: Record<string, string>, limit: string) {
  const field = (name: string, label: string, placeholder = '') =>
    html`<label>${label} <input name="${name}" value="${values[name] ?? ''}" placeholder="${placeholder}"></label>`;
  return html`<form method="get" action="/ui" class="filters" id="filters">
${field('actor', 'Actor', 'alice or agent:incident')}
<label>Aggregate type <select name="aggregateType">${['', 'requirement', 'feature', 'build', 'deployment', 'incident', 'testplan', 'pipeline'].map(
    (type) => html`<option value="${type}"${values.aggregateType === type ? ' selected' : ''}>${type || 'any'}</option>`,
  )}</select></label>
${field('aggregateId', 'Aggregate id', 'ULID')}
${field('type', 'Event type', 'FeatureUpdated')}
${field('correlationId', 'Correlation')}
${field('commandId', 'Command', 'ULID')}
${field('from', 'From', '2026-12-01T00:00:00Z')}
${field('to', 'To', '2026-12-01T23:59:59Z')}
<input type="hidden" name="limit" value="${limit}">
<button type="submit">Filter</button> <a href="/ui">Clear</a>
</form>`;
}
