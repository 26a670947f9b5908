// Streams.Read: a bounded read of a stream or of $all, or a catch-up subscription to either.
import type { ServerErrorResponse, ServerWritableStream } from '@grpc/grpc-js';
import { AllSubscription } from './all-subscription.js';
import type { EventLog } from './event-log.js';
import { internalError, invalidArgument } from './grpc-errors.js';
import { LiveSubscription } from './live-subscription.js';
import type { ReadReq, ReadResp } from './proto.js';
import { readAll, readStream } from './reads.js';
import type { EsdbServerVersion } from './server-version.js';

export interface DroppableSubscription {
  drop(error: ServerErrorResponse): void;
}

export interface ReadContext {
  log: EventLog;
  version: EsdbServerVersion;
  liveBufferSize: number;
  liveSubscriptions: Set<DroppableSubscription>;
}

export function readHandler({ log, version, liveBufferSize, liveSubscriptions }: ReadContext) {
  return (call: ServerWritableStream<ReadReq, ReadResp>) => {
    const options = call.request.getOptions();
    if (!options || (!options.hasStream() && !options.hasAll())) {
      call.emit('error', invalidArgument('A read names a stream or $all.'));
      return;
    }
    if (options.hasSubscription()) {
      const subscription = options.hasAll()
        ? new AllSubscription(call, log, options, version, liveBufferSize)
        : new LiveSubscription(call, log);
      liveSubscriptions.add(subscription);
      const running = subscription instanceof AllSubscription ? subscription.run() : subscription.run(options);
      running
        .catch((error: unknown) => subscription.drop(internalError(error)))
        .finally(() => liveSubscriptions.delete(subscription));
      return;
    }
    const reading = options.hasStream() ? readStream(call, options, log) : readAll(call, options, log, version);
    reading.catch((error: unknown) => call.emit('error', internalError(error)));
  };
}
