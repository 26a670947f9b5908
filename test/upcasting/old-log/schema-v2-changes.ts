import type { LedgerAnswers } from './ledger-answers.js';

/**
 * What the ledger answers about the version-1 log now, as the version-1 answers plus exactly the
 * one schema change since: BuildRequested v2 records the build's repository, which builds
 * requested before it did not record (null). So every build state (read model, item, time travel)
 * gains `repository: null`, and every BuildRequested in a history or a command's events arrives
 * with `repository: null` (as version 2 where metadata is shown). Anything else that differs is a
 * regression.
 */
export function withBuildRepository(old: LedgerAnswers): LedgerAnswers {
  const readModels = { ...old.readModels, builds: old.readModels.builds!.map(withUnknownRepository) };
  const api: Record<string, unknown> = {};
  for (const [path, answer] of Object.entries(old.api)) {
    if (path.startsWith('/api/builds')) api[path] = buildAnswer(path, answer as Answer);
    else if (path.startsWith('/api/commands/')) api[path] = commandAnswer(answer as Answer);
    else api[path] = answer;
  }
  return { readModels, api };
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

function buildAnswer(path: string, answer: Answer): Answer {
  const body = answer.body;
  if (path.includes('/history')) return { ...answer, body: { ...body, items: (body.items as HistoryItem[]).map(upcastHistoryItem) } };
  if (Array.isArray(body.items)) return { ...answer, body: { ...body, items: body.items.map(withUnknownRepository) } };
  return { ...answer, body: withUnknownRepository(body) };
}

function commandAnswer(answer: Answer): Answer {
  return { ...answer, body: { ...answer.body, events: (answer.body.events as HistoryItem[]).map(upcastHistoryItem) } };
}

interface HistoryItem {
  type: string;
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

function upcastHistoryItem(item: HistoryItem): HistoryItem {
  if (item.type !== 'BuildRequested') return item;
  const upcast = { ...item, data: withUnknownRepository(item.data) };
  return item.metadata ? { ...upcast, metadata: { ...item.metadata, schemaVersion: 2 } } : upcast;
}

function withUnknownRepository<T>(document: T): T {
  return { ...document, repository: null };
}

/**
 * Read models the fixture's release did not have, or fields it did not keep, added since by
 * features rather than by a schema change. They are checked here against what they must say about
 * the old log, then left out, so the comparison with the old answers stays exact for the rest:
 * - `ci_deliveries` (inbound CI webhooks): the old log received none, so it is empty;
 * - delivery metrics' daily buckets (`byDay`): each day's counts add up to the environment's totals.
 */
export function withoutFeaturesAddedSince(readModels: Record<string, unknown[]>): Record<string, unknown[]> {
  const { ci_deliveries: deliveries, ...rest } = readModels;
  if (deliveries !== undefined && deliveries.length > 0) throw new Error(`the old log holds no CI deliveries, yet ci_deliveries has ${deliveries.length}`);
  if (rest.delivery_metrics) rest.delivery_metrics = rest.delivery_metrics.map((doc) => withoutDailyBuckets(doc as DeliveryDoc));
  return rest;
}

type Counts = Record<'deployments' | 'successes' | 'failures' | 'restores' | 'restoreMsTotal', number>;
type DeliveryDoc = Counts & { byDay?: Record<string, Counts> } & Record<string, unknown>;

function withoutDailyBuckets(doc: DeliveryDoc): Record<string, unknown> {
  const { byDay, ...rest } = doc;
  const days = Object.values(byDay ?? {});
  for (const field of ['deployments', 'successes', 'failures', 'restores', 'restoreMsTotal'] as const) {
    const sum = days.reduce((total, day) => total + day[field], 0);
    if (sum !== doc[field]) throw new Error(`delivery metrics of ${String(doc.id)}: daily ${field} add up to ${sum}, the total is ${doc[field]}`);
  }
  return rest;
}
