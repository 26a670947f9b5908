import { html } from 'hono/html';

/** Aggregates the console has a page for, and their API collection. */
export const COLLECTIONS: Record<string, string> = {
  requirement: 'requirements',
  feature: 'features',
  build: 'builds',
  deployment: 'deployments',
  incident: 'incidents',
  pipeline: 'pipelines',
};

export function aggregateLink(type: string, id: string) {
  return COLLECTIONS[type] ? html`<a href="/ui/aggregates/${type}/${id}">${type} ${id.slice(-6)}</a>` : html`${type} ${id.slice(-6)}`;
}

export function commandLink(commandId: string) {
  return html`<a href="/ui/commands/${commandId}" title="${commandId}">${commandId.slice(-6)}</a>`;
}
