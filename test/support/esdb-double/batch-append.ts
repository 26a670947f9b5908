// Streams.BatchAppend: one long-lived bidirectional stream carrying many appends, each made of
// chunks sharing a correlation id; the chunk marked final commits it and gets one response.
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { AppendFaults } from './append-faults.js';
import type { EventLog, ExpectedState, ProposedEvent, WriteOutcome } from './event-log.js';
import {
  batchBadRequest,
  batchMaximumAppendSizeExceeded,
  batchServerNotReady,
  batchStreamDeleted,
  batchTimeout,
  batchWrongExpectedVersion,
  notLeaderError,
} from './grpc-errors.js';
import { BadEventIdError, proposedEvent, streamIdentifier, streamNameOf, uuidString } from './messages.js';
import { AllStreamPosition, BatchAppendResp, ProtobufEmpty, UUID, type BatchAppendOptions, type BatchAppendReq } from './proto.js';

type BatchAppendCall = ServerDuplexStream<BatchAppendReq, BatchAppendResp>;

interface PendingAppend {
  streamName: string;
  expected: ExpectedState;
  events: ProposedEvent[];
}

export interface WriteContext {
  log: EventLog;
  faults: AppendFaults;
  /** Where a not-leader refusal sends the client: the double itself. */
  endpoint: { host: string; port: number };
}

export function batchAppendHandler({ log, faults, endpoint }: WriteContext) {
  return (call: BatchAppendCall) => {
    const pending = new Map<string, PendingAppend>();
    let failed = false;
    call.on('data', (request: BatchAppendReq) => {
      const correlationId = uuidString(request.getCorrelationId());
      let append = pending.get(correlationId);
      const options = request.getOptions();
      if (!append && options) {
        append = {
          streamName: streamNameOf(options.getStreamIdentifier()),
          expected: batchExpectedState(options),
          events: [],
        };
        pending.set(correlationId, append);
      }
      if (!append) return;
      try {
        append.events.push(...request.getProposedMessagesList().map(proposedEvent));
      } catch (error) {
        if (!(error instanceof BadEventIdError)) throw error;
        pending.delete(correlationId);
        call.write(baseResponse(correlationId, append).setError(batchBadRequest(error.message)));
        return;
      }
      if (!request.getIsFinal()) return;
      pending.delete(correlationId);
      const commit = append;
      faults.admit(() => {
        if (failed) return;
        const fault = faults.take();
        if (fault === 'not_leader') {
          // The refusal fails the whole call: every append still pending on it fails with it.
          failed = true;
          call.emit('error', notLeaderError(endpoint.host, endpoint.port));
          return;
        }
        if (fault === 'not_ready') {
          call.write(baseResponse(correlationId, commit).setError(batchServerNotReady()));
          return;
        }
        const outcome = log.append(commit.streamName, commit.expected, commit.events);
        if (fault === 'timeout' && outcome.kind === 'success') {
          call.write(baseResponse(correlationId, commit).setError(batchTimeout()));
          return;
        }
        call.write(batchResponse(correlationId, commit, outcome));
      });
    });
    call.on('end', () => call.end());
  };
}

function batchExpectedState(options: BatchAppendOptions): ExpectedState {
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  if (options.hasStreamPosition()) return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
  return { kind: 'any' };
}

function baseResponse(correlationId: string, append: PendingAppend): BatchAppendResp {
  return new BatchAppendResp().setCorrelationId(new UUID().setString(correlationId)).setStreamIdentifier(streamIdentifier(append.streamName));
}

function batchResponse(correlationId: string, append: PendingAppend, outcome: WriteOutcome): BatchAppendResp {
  const response = new BatchAppendResp()
    .setCorrelationId(new UUID().setString(correlationId))
    .setStreamIdentifier(streamIdentifier(append.streamName));
  const expected = append.expected;
  if (expected.kind === 'any') response.setAny(new ProtobufEmpty());
  if (expected.kind === 'no_stream') response.setNoStream(new ProtobufEmpty());
  if (expected.kind === 'stream_exists') response.setStreamExists(new ProtobufEmpty());
  if (expected.kind === 'revision') response.setStreamPosition(String(expected.revision));
  switch (outcome.kind) {
    case 'wrong_expected_version':
      return response.setError(batchWrongExpectedVersion(expected, outcome.currentRevision));
    case 'stream_deleted':
      return response.setError(batchStreamDeleted(append.streamName));
    case 'too_large':
      return response.setError(batchMaximumAppendSizeExceeded(outcome.maxAppendSize));
    case 'success': {
      const success = new BatchAppendResp.Success();
      if (outcome.currentRevision === null) success.setNoStream(new ProtobufEmpty());
      else success.setCurrentRevision(String(outcome.currentRevision));
      if (outcome.position === null) success.setNoPosition(new ProtobufEmpty());
      else {
        const position = String(outcome.position);
        success.setPosition(new AllStreamPosition().setCommitPosition(position).setPreparePosition(position));
      }
      return response.setSuccess(success);
    }
  }
}
