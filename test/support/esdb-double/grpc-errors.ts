// Errors in the shapes the real server sends. Unary and streaming calls fail with a gRPC status
// whose trailers carry `exception` (the client's error type) and its details; BatchAppend answers
// with a google.rpc.Status whose `details` packs the matching event_store.client message.
import { Metadata, status, type ServerErrorResponse } from '@grpc/grpc-js';
import type { ExpectedState } from './event-log.js';
import {
  Any,
  BadRequest,
  Code,
  MaximumAppendSizeExceeded,
  ProtobufEmpty,
  Status,
  StreamDeleted,
  StreamIdentifier,
  Timeout,
  WrongExpectedVersion,
} from './proto.js';

type StatusProto = InstanceType<typeof Status>;

function serviceError(code: status, details: string, trailers: Record<string, string> = {}): ServerErrorResponse {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
}

export function streamDeletedError(streamName: string): ServerErrorResponse {
  return serviceError(status.FAILED_PRECONDITION, `Event stream '${streamName}' is deleted.`, {
    exception: 'stream-deleted',
    'stream-name': streamName,
  });
}

/** The legacy numeric form of an expected revision the trailers use: -2 any, -1 no stream, -4 exists. */
function expectedVersionNumber(expected: ExpectedState): bigint {
  switch (expected.kind) {
    case 'any':
      return -2n;
    case 'no_stream':
      return -1n;
    case 'stream_exists':
      return -4n;
    case 'revision':
      return expected.revision;
  }
}

export function wrongExpectedVersionError(
  streamName: string,
  expected: ExpectedState,
  currentRevision: bigint | null,
): ServerErrorResponse {
  const trailers: Record<string, string> = {
    exception: 'wrong-expected-version',
    'stream-name': streamName,
    'expected-version': String(expectedVersionNumber(expected)),
  };
  // The client reads a missing actual-version as "no stream".
  if (currentRevision !== null) trailers['actual-version'] = String(currentRevision);
  return serviceError(
    status.FAILED_PRECONDITION,
    `Append failed due to WrongExpectedVersion. Stream: ${streamName}, Expected version: ${expectedVersionNumber(expected)}, Actual version: ${currentRevision ?? -1}`,
    trailers,
  );
}

export function maximumAppendSizeError(maxAppendSize: number): ServerErrorResponse {
  return serviceError(status.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
    exception: 'maximum-append-size-exceeded',
    'maximum-append-size': String(maxAppendSize),
  });
}

export function invalidArgument(details: string): ServerErrorResponse {
  return serviceError(status.INVALID_ARGUMENT, details);
}

export function internalError(error: unknown): ServerErrorResponse {
  return serviceError(status.INTERNAL, error instanceof Error ? error.message : String(error));
}

/** Leader info with a follower's refusal: the client reconnects to the endpoint it names. */
export function notLeaderError(leaderHost: string, leaderPort: number): ServerErrorResponse {
  return serviceError(status.NOT_FOUND, 'Leader info available', {
    exception: 'not-leader',
    'leader-endpoint-host': leaderHost,
    'leader-endpoint-port': String(leaderPort),
  });
}

export function serverNotReady(): ServerErrorResponse {
  return serviceError(status.UNAVAILABLE, 'Server Is Not Ready');
}

/** The server's "Operation timed out" status, for commit timeouts and too slow consumers alike. */
export function operationTimedOut(message: string): ServerErrorResponse {
  return serviceError(status.ABORTED, `Operation timed out: ${message}`);
}

/** What the server answers for a result it has no better status for, or an exception in a handler. */
export function unknownError(message: string): ServerErrorResponse {
  return serviceError(status.UNKNOWN, message);
}

export function invalidPosition(): ServerErrorResponse {
  return serviceError(status.INVALID_ARGUMENT, 'Trying to read from an invalid position.');
}

export function serverRestarting(): ServerErrorResponse {
  return serviceError(status.UNAVAILABLE, 'Server is shutting down.');
}

function packedStatus(code: number, message: string, typeName: string, detail: { serializeBinary(): Uint8Array }): StatusProto {
  const any = new Any();
  any.pack(detail.serializeBinary(), typeName);
  return new Status().setCode(code).setMessage(message).setDetails(any);
}

export function batchWrongExpectedVersion(expected: ExpectedState, currentRevision: bigint | null): StatusProto {
  const detail = new WrongExpectedVersion();
  if (currentRevision === null) detail.setCurrentNoStream(new ProtobufEmpty());
  else detail.setCurrentStreamRevision(String(currentRevision));
  switch (expected.kind) {
    case 'any':
      detail.setExpectedAny(new ProtobufEmpty());
      break;
    case 'no_stream':
      detail.setExpectedNoStream(new ProtobufEmpty());
      break;
    case 'stream_exists':
      detail.setExpectedStreamExists(new ProtobufEmpty());
      break;
    case 'revision':
      detail.setExpectedStreamPosition(String(expected.revision));
      break;
  }
  return packedStatus(Code.ALREADY_EXISTS, 'WrongExpectedVersion', 'event_store.client.WrongExpectedVersion', detail);
}

export function batchStreamDeleted(streamName: string): StatusProto {
  const detail = new StreamDeleted().setStreamIdentifier(
    new StreamIdentifier().setStreamName(new TextEncoder().encode(streamName)),
  );
  return packedStatus(Code.NOT_FOUND, 'StreamDeleted', 'event_store.client.StreamDeleted', detail);
}

export function batchMaximumAppendSizeExceeded(maxAppendSize: number): StatusProto {
  const detail = new MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize);
  return packedStatus(
    Code.INVALID_ARGUMENT,
    `Maximum Append Size of ${maxAppendSize} Exceeded.`,
    'event_store.client.MaximumAppendSizeExceeded',
    detail,
  );
}

export function batchBadRequest(message: string): StatusProto {
  return packedStatus(Code.INVALID_ARGUMENT, 'BadRequest', 'event_store.client.BadRequest', new BadRequest().setMessage(message));
}

export function batchTimeout(): StatusProto {
  return packedStatus(Code.DEADLINE_EXCEEDED, 'Timeout', 'event_store.client.Timeout', new Timeout());
}

/** The server leaves the code unset here and packs an empty message, which the client cannot name. */
export function batchServerNotReady(): StatusProto {
  return packedStatus(Code.OK, 'Server Is Not Ready', 'google.protobuf.Empty', new ProtobufEmpty());
}
