import { z } from 'zod';
import type { StoredEvent } from '../../eventstore/port.js';

// One line of an exported log: an event with everything needed to append it elsewhere. The id is
// kept, so the event is the same event in the other store; the position is the source's, and
// only orders the export and marks where a resumed export goes on.

export const logRecordSchema = z.object({
  stream: z.string().min(1),
  revision: z.number().int().min(0),
  id: z.uuid(),
  type: z.string().min(1),
  data: z.unknown(),
  metadata: z.record(z.string(), z.unknown()),
  recordedAt: z.iso.datetime({ offset: true }),
  position: z.string().regex(/^\d+$/),
});
export type LogRecord = z.infer<typeof logRecordSchema>;

export function toLogRecord(event: StoredEvent): LogRecord {
  return {
    stream: event.streamName,
    revision: event.revision,
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
    position: event.position.toString(),
  };
}
