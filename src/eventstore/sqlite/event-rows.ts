// How events are laid out in the `events` table and read back.
import type { StoredEvent } from '../port.js';

/** A row as better-sqlite3 returns it with safe integers turned on. */
export interface EventRow {
  position: bigint;
  stream_name: string;
  revision: bigint;
  id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

export const EVENT_COLUMNS = 'position, stream_name, revision, id, type, data, metadata, recorded_at';

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    streamName: row.stream_name,
    type: row.type,
    revision: Number(row.revision),
    position: row.position,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as StoredEvent['metadata'],
    recordedAt: new Date(row.recorded_at),
  };
}

/** Streams are `<category>-<id>`; a name without '-' is its own category. */
export function categoryOf(streamName: string): string {
  const dash = streamName.indexOf('-');
  return dash === -1 ? streamName : streamName.slice(0, dash);
}
