import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { WrongExpectedRevisionError, type EventStore } from '../../eventstore/port.js';
import { logRecordSchema, type LogRecord } from './log-record.js';

export class LogImportError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'LogImportError';
  }
}

export interface ImportProgress {
  lines: number;
  appended: number;
  skipped: number;
}

const MAX_BATCH = 500;

/**
 * Appends an exported log to `store`, in the export's order, each stream's events at the
 * revisions they had. Resumable: a stream that already holds some of the events (an import that
 * stopped half-way) takes only the ones it lacks; the events already there are skipped, so
 * importing the same file twice changes nothing.
 */
export async function importLog(store: EventStore, input: Readable, options: { onProgress?(progress: ImportProgress): void } = {}): Promise<ImportProgress> {
  const progress: ImportProgress = { lines: 0, appended: 0, skipped: 0 };
  let batch: LogRecord[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const result = await appendMissing(store, batch, progress.lines);
    progress.appended += result.appended;
    progress.skipped += result.skipped;
    batch = [];
    options.onProgress?.({ ...progress });
  };
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    progress.lines += 1;
    if (line.trim() === '') continue;
    const record = parseLine(line, progress.lines);
    const last = batch.at(-1);
    // One append per run of consecutive events of one stream: atomic, and in the log's order.
    if (last && (last.stream !== record.stream || batch.length >= MAX_BATCH)) await flush();
    if (batch.length > 0 && record.revision !== batch.at(-1)!.revision + 1) {
      throw new LogImportError(progress.lines, `stream ${record.stream} jumps from revision ${batch.at(-1)!.revision} to ${record.revision}`);
    }
    batch.push(record);
  }
  await flush();
  return progress;
}

function parseLine(line: string, number: number): LogRecord {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new LogImportError(number, 'not JSON');
  }
  const parsed = logRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LogImportError(number, `${issue.path.join('.') || 'record'}: ${issue.message}`);
  }
  return parsed.data;
}

async function appendMissing(store: EventStore, batch: LogRecord[], line: number): Promise<{ appended: number; skipped: number }> {
  const first = batch[0]!;
  // Look before appending: EventStoreDB answers a re-append of the same event ids as a success
  // (it is idempotent), so only a read tells events already there from events appended now.
  const present = await store.readStream(first.stream, { fromRevision: first.revision, maxCount: batch.length });
  if (present.length > 0) {
    await assertSameEvents(store, first.stream, batch.slice(0, present.length), line);
    const missing = batch.slice(present.length);
    if (missing.length === 0) return { appended: 0, skipped: batch.length };
    const rest = await appendMissing(store, missing, line);
    return { appended: rest.appended, skipped: present.length + rest.skipped };
  }
  const expected = first.revision === 0 ? ('no_stream' as const) : first.revision - 1;
  try {
    await store.append(first.stream, batch.map(({ id, type, data, metadata }) => ({ id, type, data, metadata })), expected);
    return { appended: batch.length, skipped: 0 };
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    const actual = error.actual === 'no_stream' ? -1 : error.actual;
    if (actual < first.revision - 1) {
      throw new LogImportError(line, `stream ${first.stream} is at revision ${actual} in the target, before the ${first.revision - 1} this part of the log follows`);
    }
    const missing = batch.filter((record) => record.revision > actual);
    await assertSameEvents(store, first.stream, batch.filter((record) => record.revision <= actual), line);
    if (missing.length === 0) return { appended: 0, skipped: batch.length };
    const rest = await appendMissing(store, missing, line);
    return { appended: rest.appended, skipped: batch.length - missing.length + rest.skipped };
  }
}

/** Skipping is only right when the events there are these very events (same ids). */
async function assertSameEvents(store: EventStore, stream: string, present: LogRecord[], line: number): Promise<void> {
  if (present.length === 0) return;
  const stored = await store.readStream(stream, { fromRevision: present[0]!.revision, maxCount: present.length });
  for (const [i, record] of present.entries()) {
    if (stored[i]?.id !== record.id) throw new LogImportError(line, `stream ${stream} already has another event at revision ${record.revision}`);
  }
}
