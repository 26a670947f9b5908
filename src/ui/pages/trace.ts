import { html } from 'hono/html';
import type { Context } from 'hono';
import type { ConsoleEnv } from '../console.js';
import type { TraceCommand } from '../../api/command-trace.js';
import { jsonBlock, page, problemBox } from '../layout.js';
import { aggregateLink, commandLink } from './links.js';

function commandNode(node: TraceCommand): ReturnType<typeof html> {
  return html`<li class="trace-command" data-command="${node.commandId}" data-aggregate="${node.aggregateType}">
  <div><strong>${node.commandType ?? 'command'}</strong> by <span class="actor">${node.actor}</span> on ${aggregateLink(node.aggregateType, node.aggregateId)} · ${commandLink(node.commandId)} <span class="muted">${node.at}</span></div>
  <ul>${node.events.map(
    (event) => html`<li class="trace-event" data-type="${event.type}"><code>${event.type}</code> <span class="muted">r${event.revision}</span> ${event.summary}
      ${event.caused.length > 0 ? html`<ul>${event.caused.map(commandNode)}</ul>` : ''}</li>`,
  )}</ul>
</li>`;
}

/** "Why did this happen?": the command, its events, and everything they caused. */
export async function tracePage(c: Context<ConsoleEnv>) {
  const commandId = c.req.param('commandId') ?? '';
  const claims = c.get('session').claims;
  const api = c.get('api');
  const [command, trace] = await Promise.all([api(`/api/commands/${commandId}`), api(`/api/commands/${commandId}/trace`)]);
  const title = `Command ${commandId}`;
  if (command.status !== 200) return c.html(page(title, claims, problemBox(command.body)), command.status as 404);
  return c.html(
    page(
      title,
      claims,
      html`<section class="card">
  <p><strong>${command.body.type}</strong> by ${command.body.actor} (${command.body.actorRole}) at ${command.body.at} on ${aggregateLink(command.body.aggregateType, command.body.aggregateId)}</p>
  <p>correlation <a href="/ui?correlationId=${command.body.correlationId}">${command.body.correlationId}</a>
  ${command.body.undoOf ? html` · undoes ${commandLink(command.body.undoOf)}` : ''}${command.body.undoneBy ? html` · undone by ${commandLink(command.body.undoneBy)}` : ''}</p>
  <details><summary>events</summary>${jsonBlock(command.body.events)}</details>
</section>
<section class="card">
  <h2>Causation tree</h2>
  ${trace.status === 200
    ? html`<ul class="trace" id="trace">${commandNode(trace.body.root)}</ul>
  ${trace.body.joined.length > 0 ? html`<h3>Also in this correlation</h3><p class="muted">Commands recorded under the same correlation id by other actors, with what they caused.</p><ul class="trace" id="joined">${trace.body.joined.map(commandNode)}</ul>` : ''}`
    : problemBox(trace.body)}
</section>`,
    ),
  );
}
