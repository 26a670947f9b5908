// Streams.Read: a bounded read of a stream or of $all, or a catch-up subscription to either.
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { EventLog } from './event-log.js';
import { internalError, invalidArgument } from './grpc-errors.js';
import { LiveSubscription } from './live-subscription.js';
import type { ReadReq, ReadResp } from './proto.js';
import { readAll, readStream } from './reads.js';

export function readHandler(log: EventLog, liveSubscriptions: Set<LiveSubscription>) {
  return (call: ServerWritableStream<ReadReq, ReadResp>) => {
    const options = call.request.getOptions();
    if (!options || (!options.hasStream() && !options.hasAll())) {
      call.emit('error', invalidArgument('A read names a stream or $all.'));
      return;
    }
    if (options.hasSubscription()) {
      const subscription = new LiveSubscription(call, log);
      liveSubscriptions.add(subscription);
      subscription
        .run(options)
        .catch((error: unknown) => subscription.drop(internalError(error)))
        .finally(() => liveSubscriptions.delete(subscription));
      return;
    }
    const reading = options.hasStream() ? readStream(call, options, log) : readAll(call, options, log);
    reading.catch((error: unknown) => call.emit('error', internalError(error)));
  };
}
