// Conversions between the double's log records and the wire messages.
import type { ExpectedState, LogRecord, ProposedEvent } from './event-log.js';
import { ReadResp, StreamIdentifier, UUID, type ReadResp as ReadRespMessage } from './proto.js';
import type { StreamIdentifier as StreamIdentifierMessage, UUID as UUIDMessage } from './proto.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function streamNameOf(identifier: StreamIdentifierMessage | undefined): string {
  if (!identifier) return '';
  const name = identifier.getStreamName();
  return typeof name === 'string' ? Buffer.from(name, 'base64').toString('utf8') : decoder.decode(name);
}

export function streamIdentifier(streamName: string): StreamIdentifierMessage {
  return new StreamIdentifier().setStreamName(encoder.encode(streamName));
}

export function uuidString(uuid: UUIDMessage | undefined): string {
  if (!uuid) return '';
  if (uuid.hasString()) return uuid.getString();
  // The structured form carries the 16 bytes as two signed 64-bit halves.
  const structured = uuid.getStructured()!;
  const bytes = Buffer.alloc(16);
  bytes.writeBigInt64BE(BigInt(structured.getMostSignificantBits()), 0);
  bytes.writeBigInt64BE(BigInt(structured.getLeastSignificantBits()), 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The fields both Append and BatchAppend use for one proposed event. */
interface ProposedMessageLike {
  getId(): UUIDMessage | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

/** An event id the server cannot take: not a GUID, or the nil GUID. */
export class BadEventIdError extends Error {
  override name = 'BadEventIdError';
}

const GUID_FORMATS = [
  /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i,
  /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/i,
  /^\{([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}$/i,
  /^\(([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\)$/i,
];

/**
 * The server parses ids into GUIDs and writes them back in the lower-case hyphenated form, so an
 * id read back may differ in case (and format) from the one sent. The nil GUID is refused.
 */
export function eventIdOf(raw: string): string {
  for (const format of GUID_FORMATS) {
    const parts = format.exec(raw);
    if (!parts) continue;
    const id = parts.slice(1).join('-').toLowerCase();
    if (id === '00000000-0000-0000-0000-000000000000') throw new BadEventIdError('Empty eventId provided.');
    return id;
  }
  throw new BadEventIdError(`Unrecognized Guid format: '${raw}'.`);
}

export function proposedEvent(message: ProposedMessageLike): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    id: eventIdOf(uuidString(message.getId())),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

export function eventResponse(record: LogRecord): ReadRespMessage {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString(record.id))
    .setStreamIdentifier(streamIdentifier(record.streamName))
    .setStreamRevision(String(record.revision))
    .setCommitPosition(String(record.position))
    .setPreparePosition(String(record.position))
    .setData(record.data)
    .setCustomMetadata(record.customMetadata);
  const metadata = recorded.getMetadataMap();
  metadata.set('type', record.type);
  metadata.set('content-type', record.contentType);
  metadata.set('created', String(record.createdTicks));
  const event = new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(String(record.position));
  return new ReadResp().setEvent(event);
}

/** Every write request spells the expected revision with the same four cases. */
interface ExpectedRevisionOptions {
  hasAny(): boolean;
  hasNoStream(): boolean;
  hasStreamExists(): boolean;
}

export function expectedState(options: ExpectedRevisionOptions, revision: () => string | undefined): ExpectedState {
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  const exact = revision();
  if (exact !== undefined) return { kind: 'revision', revision: BigInt(exact) };
  return { kind: 'any' };
}
