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

export interface Backends {
  events: EventStore;
  readStore: ReadStore;
  /** What /ready reports. */
  describe: Array<{ name: string; kind: string; ping(): Promise<void> }>;
  close(): Promise<void>;
}

/** Picks each adapter from the environment: embedded when its URL is unset; any mix works. */
export async function openBackends(env: Env, logger?: Logger): Promise<Backends> {
  mkdirSync(env.DATA_DIR, { recursive: true });
  const events = env.EVENTSTORE_URL
    ? asConfigError(() => openEsdbEventStore({ connectionString: env.EVENTSTORE_URL!, logger }))
    : openSqliteEventStore({ file: join(env.DATA_DIR, 'events.db') });
  const readStore = env.MONGODB_URL
    ? await openMongoReadStore({ url: env.MONGODB_URL }).catch((error: unknown) => asConfigError(() => { throw error; }))
    : openEmbeddedReadStore({ file: join(env.DATA_DIR, 'read-models.db') });
  return {
    events,
    readStore,
    describe: [
      { name: 'event store', kind: env.EVENTSTORE_URL ? 'eventstoredb' : 'sqlite', ping: () => events.ping() },
      { name: 'read store', kind: env.MONGODB_URL ? 'mongodb' : 'embedded', ping: () => readStore.ping() },
    ],
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
