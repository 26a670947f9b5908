// An in-process EventStoreDB test double: a gRPC server speaking the Streams and ServerFeatures
// APIs that @eventstore/db-client uses, over an in-memory log. It accepts the client's ordinary
// `esdb://host:port?tls=false` connection string; every other service answers UNIMPLEMENTED.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { DEFAULT_LIVE_BUFFER_SIZE } from './all-subscription.js';
import { appendHandler } from './append.js';
import { AppendFaults } from './append-faults.js';
import { batchAppendHandler, type WriteContext } from './batch-append.js';
import { deleteHandler, tombstoneHandler } from './deletes.js';
import { DEFAULT_MAX_APPEND_SIZE, EventLog } from './event-log.js';
import { serverRestarting } from './grpc-errors.js';
import { ServerFeaturesService, StreamsService } from './proto.js';
import { readHandler, type DroppableSubscription } from './read.js';
import { serverFeaturesHandler } from './server-features.js';
import { DEFAULT_SERVER_VERSION, type EsdbServerVersion } from './server-version.js';
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
  /** The release to answer like (default 24.10, as docker-compose.yml runs); see server-version.ts. */
  serverVersion?: EsdbServerVersion;
  /** Live events a subscription buffers before it counts its consumer as too slow (the server's 32). */
  liveBufferSize?: number;
}

export interface EsdbDouble {
  readonly port: number;
  /** `esdb://host:port?tls=false`, ready for EventStoreDBClient.connectionString. */
  readonly connectionString: string;
  /** The log itself, for assertions. */
  readonly log: EventLog;
  readonly serverVersion: EsdbServerVersion;
  /** Makes appends fail as a follower, a starting node or a slow commit would. */
  readonly appendFaults: AppendFaults;
  /** Ends every live subscription with UNAVAILABLE, as a server restart would. */
  dropSubscriptions(): number;
  stop(): Promise<void>;
}

export async function startEsdbDouble(options: EsdbDoubleOptions = {}): Promise<EsdbDouble> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? new EventLog(options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE, linkToSystemStreams);
  if (!options.log) writeStartupEvents(log);
  const liveSubscriptions = new Set<DroppableSubscription>();
  const serverVersion = options.serverVersion ?? DEFAULT_SERVER_VERSION;
  const appendFaults = new AppendFaults();
  const writes: WriteContext = { log, faults: appendFaults, endpoint: { host, port: options.port ?? 0 } };

  const server = new Server();
  server.addService(StreamsService, {
    read: readHandler({
      log,
      version: serverVersion,
      liveBufferSize: options.liveBufferSize ?? DEFAULT_LIVE_BUFFER_SIZE,
      liveSubscriptions,
    }),
    append: appendHandler(writes),
    batchAppend: batchAppendHandler(writes),
    delete: deleteHandler(log),
    tombstone: tombstoneHandler(log),
  });
  server.addService(ServerFeaturesService, {
    getSupportedMethods: serverFeaturesHandler({ batchAppend: options.batchAppend ?? true, version: serverVersion }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    ),
  );
  writes.endpoint.port = port;

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
    serverVersion,
    appendFaults,
    dropSubscriptions,
    async stop() {
      dropSubscriptions();
      server.forceShutdown();
    },
  };
}
