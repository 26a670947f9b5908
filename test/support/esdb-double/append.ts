// Streams.Append: a client stream of one options message then the proposed events. A wrong
// expected revision is an ordinary response (not a gRPC error), carrying the current revision.
import type { ServerReadableStream, sendUnaryData } from '@grpc/grpc-js';
import type { WriteContext } from './batch-append.js';
import type { ExpectedState, ProposedEvent, WriteOutcome } from './event-log.js';
import {
  invalidArgument,
  maximumAppendSizeError,
  notLeaderError,
  operationTimedOut,
  serverNotReady,
  streamDeletedError,
  unknownError,
} from './grpc-errors.js';
import { BadEventIdError, expectedState, proposedEvent, streamNameOf } from './messages.js';
import { AppendResp, Empty, type AppendReq } from './proto.js';

type AppendCall = ServerReadableStream<AppendReq, AppendResp>;

export function appendHandler({ log, faults, endpoint }: WriteContext) {
  return (call: AppendCall, callback: sendUnaryData<AppendResp>) => {
    let target: { streamName: string; expected: ExpectedState } | null = null;
    const events: ProposedEvent[] = [];
    let badEventId: BadEventIdError | null = null;
    call.on('data', (request: AppendReq) => {
      const options = request.getOptions();
      if (options) {
        target = {
          streamName: streamNameOf(options.getStreamIdentifier()),
          expected: expectedState(options, () => (options.hasRevision() ? options.getRevision() : undefined)),
        };
      }
      const message = request.getProposedMessage();
      try {
        if (message) events.push(proposedEvent(message));
      } catch (error) {
        if (!(error instanceof BadEventIdError)) throw error;
        badEventId ??= error;
      }
    });
    call.on('end', () => {
      if (!target) {
        callback(invalidArgument('The first append message must carry the options.'));
        return;
      }
      // The handler's GUID parse throws, which gRPC reports as an exception in the handler.
      if (badEventId) return callback(unknownError('Exception was thrown by handler.'));
      const { streamName, expected } = target;
      faults.admit(() => {
        const fault = faults.take();
        if (fault === 'not_leader') return callback(notLeaderError(endpoint.host, endpoint.port));
        if (fault === 'not_ready') return callback(serverNotReady());
        const outcome = log.append(streamName, expected, events);
        if (fault === 'timeout' && outcome.kind === 'success') {
          return callback(operationTimedOut('Commit timed out.'));
        }
        answer(outcome, streamName, expected, callback);
      });
    });
  };
}

function answer(outcome: WriteOutcome, streamName: string, expected: ExpectedState, callback: sendUnaryData<AppendResp>): void {
  switch (outcome.kind) {
    case 'stream_deleted':
      return callback(streamDeletedError(streamName));
    case 'too_large':
      return callback(maximumAppendSizeError(outcome.maxAppendSize));
    default:
      return callback(null, appendResponse(outcome, expected));
  }
}

function appendResponse(
  outcome: Extract<WriteOutcome, { kind: 'success' | 'wrong_expected_version' }>,
  expected: ExpectedState,
): AppendResp {
  if (outcome.kind === 'success') {
    const success = new AppendResp.Success();
    if (outcome.currentRevision === null) success.setNoStream(new Empty());
    else success.setCurrentRevision(String(outcome.currentRevision));
    if (outcome.position === null) success.setNoPosition(new Empty());
    else {
      const position = String(outcome.position);
      success.setPosition(new AppendResp.Position().setCommitPosition(position).setPreparePosition(position));
    }
    return new AppendResp().setSuccess(success);
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  // Servers fill both the current fields and the ones 20.6.0 clients read.
  if (outcome.currentRevision === null) {
    wrong.setCurrentNoStream(new Empty()).setNoStream2060(new Empty());
  } else {
    wrong.setCurrentRevision(String(outcome.currentRevision)).setCurrentRevision2060(Number(outcome.currentRevision));
  }
  switch (expected.kind) {
    case 'any':
      wrong.setExpectedAny(new Empty()).setAny2060(new Empty());
      break;
    case 'no_stream':
      wrong.setExpectedNoStream(new Empty());
      break;
    case 'stream_exists':
      wrong.setExpectedStreamExists(new Empty()).setStreamExists2060(new Empty());
      break;
    case 'revision':
      wrong.setExpectedRevision(String(expected.revision)).setExpectedRevision2060(Number(expected.revision));
      break;
  }
  return new AppendResp().setWrongExpectedVersion(wrong);
}
