// Server-side filtering of $all reads and subscriptions: by stream name or by event type, with
// a prefix list or a regular expression, plus the checkpoint cadence of filtered subscriptions.
import type { LogRecord } from './event-log.js';
import { ReadReq, type ReadOptions } from './proto.js';

/** The server scans $all in pages of this many records when the client names no search window. */
const DEFAULT_SEARCH_WINDOW = 32;

export interface RecordFilter {
  matches(record: LogRecord): boolean;
  /** A filtered subscription sends a checkpoint after this many scanned records; null: never. */
  checkpointEvery: number | null;
}

const everything: RecordFilter = { matches: () => true, checkpointEvery: null };

export function recordFilter(options: ReadOptions): RecordFilter {
  const filter = options.getFilter();
  if (!options.hasFilter() || !filter) return everything;
  const FilterCase = ReadReq.Options.FilterOptions.FilterCase;
  const onStreamName = filter.getFilterCase() === FilterCase.STREAM_IDENTIFIER;
  const expression = onStreamName ? filter.getStreamIdentifier() : filter.getEventType();
  const prefixes = expression?.getPrefixList() ?? [];
  const regex = expression?.getRegex() ? new RegExp(expression.getRegex()) : null;
  const field = (record: LogRecord) => (onStreamName ? record.streamName : record.type);
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_SEARCH_WINDOW;
  return {
    matches(record) {
      const value = field(record);
      if (regex) return regex.test(value);
      return prefixes.length === 0 || prefixes.some((prefix) => value.startsWith(prefix));
    },
    checkpointEvery: Math.max(1, filter.getCheckpointintervalmultiplier()) * window,
  };
}
