import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError, type Env } from '../config/env.js';
import type { EventStore } from '../eventstore/port.js';
import type { ReadStore } from '../readstore/port.js';
import { openSqliteEventStore } from '../eventstore/sqlite/index.js';
import { openEmbeddedReadStore } from '../readstore/embedded/index.js';
import { openEsdbEventStore } from '../eventstore/esdb/index.js';
import { openMongoReadStore } from '../readstore/mongo/index.js';
import { BackendPolicy, ResilientEventStore, ResilientReadStore, type ResilienceOptions } from '../resilience/index.js';
import { VersionedEventStore } from '../events/upcasting/versioned-event-store.js';
import { ledgerVersioning } from '../events/upcasting/ledger-versioning.js';

export interface Backends {
  events: EventStore;
  readStore: ReadStore;
  /** What /ready reports. */
  describe: Array<{ name: string; kind: string; ping(): Promise<void>; circuit(): string }>;
  /** The guard around each backend (timeout, retry, circuit breaker). */
  policies: { events: BackendPolicy; readStore: BackendPolicy };
  close(): Promise<void>;
}

export interface BackendOptions {
  /** Wraps each adapter inside its resilience decorator: how fault-injection tests get in. */
  intercept?: { events?(store: EventStore): EventStore; readStore?(store: ReadStore): ReadStore };
  resilience?: { events?: ResilienceOptions; readStore?: ResilienceOptions };
}

/** Picks each adapter from the environment: embedded when its URL is unset; any mix works. */
export async function openBackends(env: Env, logger?: Logger, options: BackendOptions = {}): Promise<Backends> {
  mkdirSync(env.DATA_DIR, { recursive: true });
  const eventAdapter = env.EVENTSTORE_URL
    ? asConfigError(() => openEsdbEventStore({ connectionString: env.EVENTSTORE_URL!, logger }))
    : openSqliteEventStore({ file: join(env.DATA_DIR, 'events.db') });
  const readStoreAdapter = env.MONGODB_URL
    ? await openMongoReadStore({ url: env.MONGODB_URL }).catch((error: unknown) => asConfigError(() => { throw error; }))
    : openEmbeddedReadStore({ file: join(env.DATA_DIR, 'read-models.db') });
  // Every call to a backend goes through its policy: callers see BackendUnavailableError (503).
  const policies = {
    events: new BackendPolicy('event store', options.resilience?.events),
    readStore: new BackendPolicy('read store', options.resilience?.readStore),
  };
  // Outermost, so every reader gets current event shapes and no invalid event is ever retried.
  const events = new VersionedEventStore(new ResilientEventStore(options.intercept?.events?.(eventAdapter) ?? eventAdapter, policies.events), ledgerVersioning);
  const readStore = new ResilientReadStore(options.intercept?.readStore?.(readStoreAdapter) ?? readStoreAdapter, policies.readStore);
  return {
    events,
    readStore,
    describe: [
      { name: 'event store', kind: env.EVENTSTORE_URL ? 'eventstoredb' : 'sqlite', ping: () => events.ping(), circuit: () => policies.events.circuit },
      { name: 'read store', kind: env.MONGODB_URL ? 'mongodb' : 'embedded', ping: () => readStore.ping(), circuit: () => policies.readStore.circuit },
    ],
    policies,
    async close() {
      await events.close();
      await readStore.close();
    },
  };
}

/** A connection string the driver refuses is a configuration error: one line at start. */
function asConfigError<T>(open: () => T): T {
  try {
    return open();
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}
