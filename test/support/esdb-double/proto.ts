// The protobuf messages and gRPC service definitions of EventStoreDB, as generated and shipped by
// @eventstore/db-client. Using the client's own stubs keeps the double wire-compatible with it.
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import serverFeaturesGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import serverFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import statusPb from '@eventstore/db-client/generated/status_pb.js';
import codePb from '@eventstore/db-client/generated/code_pb.js';
import anyPb from 'google-protobuf/google/protobuf/any_pb.js';
import emptyPb from 'google-protobuf/google/protobuf/empty_pb.js';
import type * as streams from '@eventstore/db-client/generated/streams_pb.js';
import type * as shared from '@eventstore/db-client/generated/shared_pb.js';
import type * as serverFeatures from '@eventstore/db-client/generated/serverfeatures_pb.js';

export const { StreamsService } = streamsGrpc;
export const { ServerFeaturesService } = serverFeaturesGrpc;
export const { ReadReq, ReadResp, AppendReq, AppendResp, BatchAppendReq, BatchAppendResp } = streamsPb;
export const { DeleteReq, DeleteResp, TombstoneReq, TombstoneResp } = streamsPb;
export const { UUID, Empty, StreamIdentifier, AllStreamPosition, WrongExpectedVersion, StreamDeleted } = sharedPb;
export const { MaximumAppendSizeExceeded, BadRequest, Timeout } = sharedPb;
export const { SupportedMethods, SupportedMethod } = serverFeaturesPb;
export const { Status } = statusPb;
/** google.rpc.Code: the status codes inside a BatchAppend error. */
export const { Code } = codePb;
export const { Any } = anyPb;
/** google.protobuf.Empty, which BatchAppend uses where the other calls use event_store.client.Empty. */
export const ProtobufEmpty = emptyPb.Empty;

export type ReadReq = streams.ReadReq;
export type ReadResp = streams.ReadResp;
export type ReadOptions = streams.ReadReq.Options;
export type FilterOptions = streams.ReadReq.Options.FilterOptions;
export type RecordedEventMessage = streams.ReadResp.ReadEvent.RecordedEvent;
export type AppendReq = streams.AppendReq;
export type AppendResp = streams.AppendResp;
export type BatchAppendReq = streams.BatchAppendReq;
export type BatchAppendOptions = streams.BatchAppendReq.Options;
export type BatchAppendResp = streams.BatchAppendResp;
export type DeleteReq = streams.DeleteReq;
export type DeleteResp = streams.DeleteResp;
export type TombstoneReq = streams.TombstoneReq;
export type TombstoneResp = streams.TombstoneResp;
export type StreamIdentifier = shared.StreamIdentifier;
export type UUID = shared.UUID;
export type Empty = shared.Empty;
export type SupportedMethods = serverFeatures.SupportedMethods;
