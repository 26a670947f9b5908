// Streams.Read without a subscription: one stream or $all, forwards or backwards, bounded by count.
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { EventLog, LogRecord } from './event-log.js';
import { invalidPosition, streamDeletedError, unknownError } from './grpc-errors.js';
import { eventResponse, streamIdentifier, streamNameOf } from './messages.js';
import { ReadReq, ReadResp, type ReadOptions, type ReadReq as ReadReqMessage } from './proto.js';
import { recordFilter } from './record-filter.js';
import { send } from './send.js';
import type { EsdbServerVersion } from './server-version.js';

type ReadCall = ServerWritableStream<ReadReqMessage, ReadResp>;
const { ReadDirection } = ReadReq.Options;

export async function readStream(call: ReadCall, options: ReadOptions, log: EventLog): Promise<void> {
  const streamOptions = options.getStream()!;
  const streamName = streamNameOf(streamOptions.getStreamIdentifier());
  if (countOf(options) === 0) {
    // The storage reader insists on a positive count and reports the exception as an Error result.
    call.emit('error', unknownError('Unexpected ReadStreamResult: Error'));
    return;
  }
  const outcome = log.readStream(streamName);
  if (outcome.kind === 'deleted') {
    call.emit('error', streamDeletedError(streamName));
    return;
  }
  if (outcome.kind === 'not_found') {
    const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(streamName));
    await send(call, new ReadResp().setStreamNotFound(notFound));
    call.end();
    return;
  }
  const RevisionCase = ReadReq.Options.StreamOptions.RevisionOptionCase;
  const backwards = options.getReadDirection() === ReadDirection.BACKWARDS;
  const records = outcome.records;
  let selected: LogRecord[];
  switch (streamOptions.getRevisionOptionCase()) {
    case RevisionCase.START:
      selected = backwards ? records.slice(0, 1) : records;
      break;
    case RevisionCase.END:
      selected = backwards ? [...records] : [];
      break;
    default: {
      const from = BigInt(streamOptions.getRevision());
      selected = records.filter((record) => (backwards ? record.revision <= from : record.revision >= from));
    }
  }
  if (backwards) selected = [...selected].reverse();
  await writeEvents(call, selected.slice(0, countOf(options)));
}

export async function readAll(call: ReadCall, options: ReadOptions, log: EventLog, version: EsdbServerVersion): Promise<void> {
  const allOptions = options.getAll()!;
  const AllCase = ReadReq.Options.AllOptions.AllOptionCase;
  const backwards = options.getReadDirection() === ReadDirection.BACKWARDS;
  const filter = recordFilter(options);
  let selected: LogRecord[];
  switch (allOptions.getAllOptionCase()) {
    case AllCase.START:
      selected = backwards ? [] : log.records;
      break;
    case AllCase.END:
      selected = backwards ? log.records : [];
      break;
    default: {
      // Forwards includes the record at the position; backwards reads what lies before it.
      const position = BigInt(allOptions.getPosition()!.getCommitPosition());
      if (log.isInsideARecord(position)) {
        // The chunk reader finds no record there. 24.10 names it; 23.10 reports a failed read.
        const result = options.hasFilter() ? 'FilteredReadAllResult' : 'ReadAllResult';
        call.emit('error', version === '24.10' ? invalidPosition() : unknownError(`Unexpected ${result}: Error`));
        return;
      }
      selected = log.records.filter((record) => (backwards ? record.position < position : record.position >= position));
    }
  }
  if (backwards) selected = [...selected].reverse();
  await writeEvents(call, selected.filter((record) => filter.matches(record)).slice(0, countOf(options)));
}

function countOf(options: ReadOptions): number {
  const count = BigInt(options.getCount() || '0');
  return count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
}

async function writeEvents(call: ReadCall, records: LogRecord[]): Promise<void> {
  for (const record of records) {
    if (call.cancelled) return;
    await send(call, eventResponse(record));
  }
  call.end();
}
