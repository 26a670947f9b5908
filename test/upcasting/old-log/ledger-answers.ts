import type { TestApp } from '../../support/test-app.js';
import { allProjections } from '../../../src/projections/read-models/index.js';
import type { LoggedEvent } from './fixture-log.js';

/** Where each aggregate type's item, history and time travel are served. */
const COLLECTION_PATHS: Record<string, string> = {
  requirement: 'requirements',
  feature: 'features',
  build: 'builds',
  deployment: 'deployments',
  incident: 'incidents',
};

export interface LedgerAnswers {
  /** Every document of every read model, by logical read model, sorted by id. */
  readModels: Record<string, unknown[]>;
  /** GET answers of the API, by path. */
  api: Record<string, unknown>;
}

/**
 * What the ledger answers about a log, once the projections have caught up with it: every read
 * model document, every list, and for each aggregate its item, its history and its state at each
 * revision and at each event's time. The store's own clock (recordedAt) is left out: a log loaded
 * into another store is recorded at another time.
 */
export async function ledgerAnswers(api: TestApp, log: LoggedEvent[]): Promise<LedgerAnswers> {
  const head = await api.backends.events.headPosition();
  if (head !== null && !(await api.projections.waitForAll(head, 30_000))) throw new Error('the projections did not reach the head of the log');

  const readModels: Record<string, unknown[]> = {};
  for (const logical of allProjections().flatMap((projection) => Object.keys(projection.collections))) {
    readModels[logical] = await api.projections.collection(logical).find({}, { sort: [['id', 1]] });
  }

  const answers: Record<string, unknown> = {};
  const get = async (path: string) => {
    const response = await api.request('GET', path, { role: 'viewer' });
    answers[path] = { status: response.status, body: withoutStoreClock(response.body) };
  };
  for (const path of ['requirements', 'features', 'builds', 'deployments', 'incidents']) await get(`/api/${path}?limit=500`);
  await get('/api/environments');
  await get('/api/audit?limit=500');
  await get('/api/pipelines?limit=500');
  for (const commandId of new Set(log.map((event) => String(event.metadata.commandId)))) await get(`/api/commands/${commandId}`);
  for (const featureId of new Set(log.filter((event) => event.type === 'FeatureCreated').map((event) => aggregateId(event.streamName)))) {
    await get(`/api/testplans/${featureId}`);
  }

  const streams = new Map<string, LoggedEvent[]>();
  for (const event of log) streams.set(event.streamName, [...(streams.get(event.streamName) ?? []), event]);
  for (const [stream, events] of streams) {
    const collection = COLLECTION_PATHS[stream.slice(0, stream.indexOf('-'))];
    if (!collection) continue;
    const item = `/api/${collection}/${aggregateId(stream)}`;
    await get(item);
    await get(`${item}/history?limit=500`);
    for (const event of events) {
      await get(`${item}?revision=${event.revision}`);
      await get(`${item}?at=${encodeURIComponent(String(event.metadata.at))}`);
    }
  }
  return { readModels, api: answers };
}

function aggregateId(stream: string): string {
  return stream.slice(stream.indexOf('-') + 1);
}

/** History items carry the store's recordedAt; everything else comes from the events. */
function withoutStoreClock(body: unknown): unknown {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { items?: unknown }).items)) return body;
  const page = body as { items: unknown[] };
  return { ...page, items: page.items.map((item) => (item && typeof item === 'object' ? withoutRecordedAt(item as Record<string, unknown>) : item)) };
}

function withoutRecordedAt(item: Record<string, unknown>): Record<string, unknown> {
  const { recordedAt: _storeClock, ...rest } = item;
  return rest;
}
