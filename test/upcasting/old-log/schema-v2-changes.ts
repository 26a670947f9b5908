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
