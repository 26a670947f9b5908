// An in-process EventStoreDB test double: a gRPC server speaking the Streams and ServerFeatures
// APIs that @eventstore/db-client uses, over an in-memory log. It accepts the client's ordinary
// `esdb://host:port?tls=false` connection string; every other service answers UNIMPLEMENTED.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { appendHandler } from './append.js';
import { batchAppendHandler } from './batch-append.js';
import { deleteHandler, tombstoneHandler } from './deletes.js';
import { DEFAULT_MAX_APPEND_SIZE, EventLog } from './event-log.js';
import { serverRestarting } from './grpc-errors.js';
import type { LiveSubscription } from './live-subscription.js';
import { ServerFeaturesService, StreamsService } from './proto.js';
import { readHandler } from './read.js';
import { serverFeaturesHandler } from './server-features.js';
import { linkToSystemStreams, writeStartupEvents } from './system-events.js';

export interface EsdbDoubleOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Advertise BatchAppend, which the client then uses for every append (default true, like real servers). */
  batchAppend?: boolean;
  maxAppendSize?: number;
  /** Serve an existing log, e.g. to bring a stopped double back on the same port with its data. */
  log?: EventLog;
}

export interface EsdbDouble {
  readonly port: number;
  /** `esdb://host:port?tls=false`, ready for EventStoreDBClient.connectionString. */
  readonly connectionString: string;
  /** The log itself, for assertions. */
  readonly log: EventLog;
  /** Ends every live subscription with UNAVAILABLE, as a server restart would. */
  dropSubscriptions(): number;
  stop(): Promise<void>;
}

export async function startEsdbDouble(options: EsdbDoubleOptions = {}): Promise<EsdbDouble> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? new EventLog(options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE, linkToSystemStreams);
  if (!options.log) writeStartupEvents(log);
  const liveSubscriptions = new Set<LiveSubscription>();

  const server = new Server();
  server.addService(StreamsService, {
    read: readHandler(log, liveSubscriptions),
    append: appendHandler(log),
    batchAppend: batchAppendHandler(log),
    delete: deleteHandler(log),
    tombstone: tombstoneHandler(log),
  });
  server.addService(ServerFeaturesService, {
    getSupportedMethods: serverFeaturesHandler({ batchAppend: options.batchAppend ?? true }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    ),
  );

  const dropSubscriptions = () => {
    const dropped = [...liveSubscriptions];
    liveSubscriptions.clear();
    for (const subscription of dropped) subscription.drop(serverRestarting());
    return dropped.length;
  };

  return {
    port,
    connectionString: `esdb://${host}:${port}?tls=false`,
    log,
    dropSubscriptions,
    async stop() {
      dropSubscriptions();
      server.forceShutdown();
    },
  };
}
