// Mapping between the port's values and @eventstore/db-client's.
import type { AppendExpectedRevision, EventData, JSONType, Position, RecordedEvent } from '@eventstore/db-client';
import type { EventMetadata, EventToAppend, ExpectedRevision, StoredEvent } from '../port.js';

export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return expected;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return BigInt(expected);
  throw new RangeError(`expected revision must be 'any', 'no_stream', 'stream_exists' or a non-negative integer, got ${String(expected)}`);
}

/** Counts and revisions the caller passes in: refused early, as the SQLite adapter does. */
export function assertNonNegativeInteger(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/** Revisions are bigints on the wire; the port's are numbers, so refuse rather than round. */
export function toRevisionNumber(revision: bigint, streamName: string): number {
  if (revision < 0n || revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`stream ${streamName}: revision ${revision} is not a safe integer`);
  }
  return Number(revision);
}

/**
 * A port position is the commit position of an event in $all. Every append through gRPC is a
 * single-stream, non-transactional write, for which the server records commit == prepare, so
 * the commit position alone names the event and resuming from it means { commit, prepare: commit }.
 */
export function fromPortPosition(position: bigint): Position {
  return { commit: position, prepare: position };
}

const UUID_FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * The server parses event ids as GUIDs, refuses the nil one, and reads them back in lower case.
 * Refusing bad ids here gives the caller a clear error instead of the client's unnamed one, and
 * sending the lower-case form means the id read back is the id sent.
 */
export function toEventId(id: string): string {
  if (!UUID_FORMAT.test(id) || id === NIL_UUID) {
    throw new RangeError(`event id must be a non-nil UUID (8-4-4-4-12 hex digits), got ${JSON.stringify(id)}`);
  }
  return id.toLowerCase();
}

export function toEventData(event: EventToAppend): EventData {
  return {
    id: toEventId(event.id),
    contentType: 'application/json',
    type: event.type,
    // The client writes JSON.stringify(data), so any JSON value works, not only objects.
    data: (event.data ?? null) as JSONType,
    metadata: event.metadata,
  };
}

/** Events the server writes for itself: metadata, links, projections, tombstones, settings. */
export function isSystemEvent(event: Pick<RecordedEvent, 'streamId' | 'type'>): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

export function toStoredEvent(event: RecordedEvent): StoredEvent {
  if (!event.position) {
    // Servers before 22.6 omit the $all position on stream reads; the spec requires 23.10+.
    throw new Error(`event ${event.id} of stream ${event.streamId} came without a log position; EventStoreDB 23.10+ is required`);
  }
  return {
    id: event.id,
    streamName: event.streamId,
    type: event.type,
    revision: toRevisionNumber(event.revision, event.streamId),
    position: event.position.commit,
    data: event.data,
    metadata: isMetadataObject(event.metadata) ? event.metadata : {},
    recordedAt: event.created,
  };
}

function isMetadataObject(metadata: unknown): metadata is EventMetadata {
  return typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) && !(metadata instanceof Uint8Array);
}
