import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { EventStore } from '../../eventstore/port.js';
import { toLogRecord } from './log-record.js';

export interface LogProgress {
  events: number;
  /** Source position reached, and the head when the export began: the share done. */
  position: bigint | null;
  head: bigint | null;
}

const PAGE = 1000;

/**
 * Streams the log after `after` (the whole log when null) as NDJSON, one event a line in log
 * order, to `out`, honouring back-pressure. Events appended while it runs are exported too.
 */
export async function exportLog(store: EventStore, out: Writable, options: { after?: bigint | null; onProgress?(progress: LogProgress): void } = {}): Promise<number> {
  const head = await store.headPosition();
  let after = options.after ?? null;
  let events = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE });
    if (page.length === 0) break;
    for (const event of page) {
      if (!out.write(`${JSON.stringify(toLogRecord(event))}\n`)) await once(out, 'drain');
    }
    events += page.length;
    after = page.at(-1)!.position;
    options.onProgress?.({ events, position: after, head });
    if (page.length < PAGE) break;
  }
  return events;
}
