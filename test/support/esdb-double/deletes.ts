// Streams.Delete (soft delete) and Streams.Tombstone (hard delete). Unlike Append, a wrong
// expected revision here is a gRPC error whose trailers carry the versions.
import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import type { DeleteOutcome, EventLog, ExpectedState } from './event-log.js';
import { streamDeletedError, wrongExpectedVersionError } from './grpc-errors.js';
import { expectedState, streamNameOf } from './messages.js';
import { DeleteResp, Empty, TombstoneResp, type DeleteReq, type TombstoneReq } from './proto.js';

export function deleteHandler(log: EventLog) {
  return (call: ServerUnaryCall<DeleteReq, DeleteResp>, callback: sendUnaryData<DeleteResp>) => {
    const options = call.request.getOptions()!;
    const streamName = streamNameOf(options.getStreamIdentifier());
    const expected = expectedState(options, () => (options.hasRevision() ? options.getRevision() : undefined));
    answer(log.softDelete(streamName, expected), streamName, expected, callback, (position) => {
      const response = new DeleteResp();
      if (position === null) return response.setNoPosition(new Empty());
      return response.setPosition(
        new DeleteResp.Position().setCommitPosition(String(position)).setPreparePosition(String(position)),
      );
    });
  };
}

export function tombstoneHandler(log: EventLog) {
  return (call: ServerUnaryCall<TombstoneReq, TombstoneResp>, callback: sendUnaryData<TombstoneResp>) => {
    const options = call.request.getOptions()!;
    const streamName = streamNameOf(options.getStreamIdentifier());
    const expected = expectedState(options, () => (options.hasRevision() ? options.getRevision() : undefined));
    answer(log.tombstone(streamName, expected), streamName, expected, callback, (position) => {
      const response = new TombstoneResp();
      if (position === null) return response.setNoPosition(new Empty());
      return response.setPosition(
        new TombstoneResp.Position().setCommitPosition(String(position)).setPreparePosition(String(position)),
      );
    });
  };
}

function answer<Response>(
  outcome: DeleteOutcome,
  streamName: string,
  expected: ExpectedState,
  callback: sendUnaryData<Response>,
  success: (position: bigint | null) => Response,
): void {
  switch (outcome.kind) {
    case 'success':
      return callback(null, success(outcome.position));
    case 'wrong_expected_version':
      return callback(wrongExpectedVersionError(streamName, expected, outcome.currentRevision));
    case 'stream_deleted':
      return callback(streamDeletedError(streamName));
  }
}
