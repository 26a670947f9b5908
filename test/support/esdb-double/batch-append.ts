// Streams.BatchAppend: one long-lived bidirectional stream carrying many appends, each made of
// chunks sharing a correlation id; the chunk marked final commits it and gets one response.
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { EventLog, ExpectedState, ProposedEvent, WriteOutcome } from './event-log.js';
import { batchMaximumAppendSizeExceeded, batchStreamDeleted, batchWrongExpectedVersion } from './grpc-errors.js';
import { proposedEvent, streamIdentifier, streamNameOf, uuidString } from './messages.js';
import { AllStreamPosition, BatchAppendResp, ProtobufEmpty, UUID, type BatchAppendOptions, type BatchAppendReq } from './proto.js';

type BatchAppendCall = ServerDuplexStream<BatchAppendReq, BatchAppendResp>;

interface PendingAppend {
  streamName: string;
  expected: ExpectedState;
  events: ProposedEvent[];
}

export function batchAppendHandler(log: EventLog) {
  return (call: BatchAppendCall) => {
    const pending = new Map<string, PendingAppend>();
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
      append.events.push(...request.getProposedMessagesList().map(proposedEvent));
      if (!request.getIsFinal()) return;
      pending.delete(correlationId);
      const outcome = log.append(append.streamName, append.expected, append.events);
      call.write(batchResponse(correlationId, append, outcome));
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
