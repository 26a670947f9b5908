import { readFileSync, writeFileSync } from 'node:fs';
import type { EventStore, StoredEvent } from '../../../src/eventstore/port.js';

/** One stored event as a line of NDJSON: the position as a string, the time as ISO-8601. */
export interface LoggedEvent {
  id: string;
  streamName: string;
  type: string;
  revision: number;
  position: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recordedAt: string;
}

export function toLogged(event: StoredEvent): LoggedEvent {
  return { ...event, position: event.position.toString(), recordedAt: event.recordedAt.toISOString() };
}

export function writeLog(file: string, events: StoredEvent[]): void {
  writeFileSync(file, events.map((event) => JSON.stringify(toLogged(event))).join('\n') + '\n');
}

export function readLog(file: string): LoggedEvent[] {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as LoggedEvent);
}

/**
 * Appends the logged events to an empty store in log order, each at its recorded revision, with
 * its id, data and metadata exactly as recorded. It must be the store adapter itself: the events
 * go in as the old code wrote them, untouched by anything that checks or upgrades new writes.
 */
export async function loadLog(store: EventStore, events: LoggedEvent[]): Promise<void> {
  for (const event of events) {
    await store.append(event.streamName, [{ id: event.id, type: event.type, data: event.data, metadata: event.metadata }], event.revision === 0 ? 'no_stream' : event.revision - 1);
  }
}
