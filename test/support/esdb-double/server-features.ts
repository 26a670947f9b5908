// ServerFeatures.GetSupportedMethods: the first call a client makes. The client picks BatchAppend
// for appends only when the server lists it, as every server since 21.10 does.
import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { SupportedMethod, SupportedMethods, type Empty } from './proto.js';
import type { EsdbServerVersion } from './server-version.js';

export function serverFeaturesHandler(options: { batchAppend: boolean; version: EsdbServerVersion }) {
  const streams = 'event_store.client.streams.streams';
  const methods = [
    { service: streams, method: 'read', features: ['position', 'events'] },
    { service: streams, method: 'append', features: [] },
    { service: streams, method: 'delete', features: [] },
    { service: streams, method: 'tombstone', features: [] },
    ...(options.batchAppend ? [{ service: streams, method: 'batchappend', features: [] }] : []),
    { service: 'event_store.client.server_features.serverfeatures', method: 'getsupportedmethods', features: [] },
  ];
  return (_call: ServerUnaryCall<Empty, SupportedMethods>, callback: sendUnaryData<SupportedMethods>) => {
    const supported = new SupportedMethods().setEventStoreServerVersion(`${options.version}.0`);
    supported.setMethodsList(
      methods.map(({ service, method, features }) =>
        new SupportedMethod().setServiceName(service).setMethodName(method).setFeaturesList(features),
      ),
    );
    callback(null, supported);
  };
}
