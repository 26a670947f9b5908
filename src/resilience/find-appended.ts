import type { AppendResult, EventStore, EventToAppend, ExpectedRevision, StoredEvent } from '../eventstore/port.js';

// How far back to look when the expected revision does not say where the events would be.
const LOOK_BACK = 100;

/**
 * Whether an append whose outcome is unknown (a timeout, a dropped connection) actually landed:
 * every event carries a fresh UUID, so finding those ids in the stream proves it did. Returns
 * the append's result when it did, null when it did not.
 */
export async function findAppended(
  store: EventStore,
  streamName: string,
  events: EventToAppend[],
  expected: ExpectedRevision,
): Promise<AppendResult | null> {
  const first = events[0];
  if (!first) return null;
  const candidates = await readWhereTheyWouldBe(store, streamName, events.length, expected);
  const start = candidates.findIndex((stored) => sameId(stored.id, first.id));
  if (start < 0) return null;
  const landed = candidates.slice(start, start + events.length);
  if (landed.length !== events.length || landed.some((stored, i) => !sameId(stored.id, events[i]!.id))) return null;
  const last = landed[landed.length - 1]!;
  return { nextRevision: last.revision, position: last.position };
}

/** UUIDs are case-insensitive, and EventStoreDB reads them back in lower case. */
function sameId(stored: string, sent: string): boolean {
  return stored.toLowerCase() === sent.toLowerCase();
}

function readWhereTheyWouldBe(store: EventStore, streamName: string, count: number, expected: ExpectedRevision): Promise<StoredEvent[]> {
  if (typeof expected === 'number') return store.readStream(streamName, { fromRevision: expected + 1, maxCount: count });
  if (expected === 'no_stream') return store.readStream(streamName, { fromRevision: 0, maxCount: count });
  return store
    .readStream(streamName, { direction: 'backwards', maxCount: Math.max(LOOK_BACK, count) })
    .then((events) => events.reverse());
}
