// Bounded reads: one stream, pages of $all without system events, and the head of the log.
import {
  BACKWARDS,
  END,
  FORWARDS,
  START,
  StreamNotFoundError,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type Position,
  type ReadPosition,
  type StreamingRead,
} from '@eventstore/db-client';
import type { ReadStreamOptions, StoredEvent } from '../port.js';
import { fromPortPosition, isSystemEvent, toStoredEvent } from './conversions.js';
import { withDeadline } from './esdb-errors.js';

/** Most events asked of the server per $all page. */
const PAGE_SIZE = 500;
/** Room in a page for the start event and the system events among the user ones. */
const PAGE_SLACK = 32;

/** Reads a client stream to its end, giving up after `timeoutMs`. */
export function collect<Item>(read: StreamingRead<Item>, timeoutMs: number): Promise<Item[]> {
  return withDeadline(read.toArray() as Promise<Item[]>, timeoutMs, () => void read.cancel());
}

export async function readStreamEvents(
  client: EventStoreDBClient,
  streamName: string,
  options: ReadStreamOptions,
  timeoutMs: number,
): Promise<StoredEvent[]> {
  const direction = options.direction ?? 'forwards';
  try {
    const resolved = await collect(
      client.readStream(streamName, {
        direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
        fromRevision: options.fromRevision === undefined ? (direction === 'forwards' ? START : END) : BigInt(options.fromRevision),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      }),
      timeoutMs,
    );
    return resolved.flatMap(({ event }) => (event ? [toStoredEvent(event)] : []));
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
}

/**
 * User events strictly after `after`. A forwards read of $all includes the event at its start
 * position, and system events are interleaved with user ones, so pages are read until enough
 * user events have been found or the log ends.
 */
export async function readAllEvents(
  client: EventStoreDBClient,
  after: bigint | null,
  maxCount: number,
  timeoutMs: number,
): Promise<StoredEvent[]> {
  const found: StoredEvent[] = [];
  let seenUpTo = after;
  while (found.length < maxCount) {
    const from: ReadPosition = seenUpTo === null ? START : fromPortPosition(seenUpTo);
    const pageSize = Math.min(PAGE_SIZE, maxCount - found.length + PAGE_SLACK);
    const page = await collect(client.readAll({ fromPosition: from, direction: FORWARDS, maxCount: pageSize }), timeoutMs);
    for (const { event } of page) {
      if (!event || (seenUpTo !== null && event.position.commit <= seenUpTo)) continue;
      seenUpTo = event.position.commit;
      if (!isSystemEvent(event)) found.push(toStoredEvent(event));
      if (found.length === maxCount) break;
    }
    if (page.length < pageSize) break;
  }
  return found;
}

/** Position of the newest user event, reading $all backwards past any system events. */
export async function readHeadPosition(client: EventStoreDBClient, timeoutMs: number): Promise<bigint | null> {
  let before: Position | null = null;
  for (;;) {
    const page: AllStreamResolvedEvent[] = await collect(
      client.readAll({ fromPosition: before ?? END, direction: BACKWARDS, maxCount: PAGE_SIZE }),
      timeoutMs,
    );
    for (const { event } of page) {
      if (!event || (before !== null && event.position.commit >= before.commit)) continue;
      if (!isSystemEvent(event)) return event.position.commit;
      before = event.position;
    }
    if (page.length < PAGE_SIZE) return null;
  }
}
