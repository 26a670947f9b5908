import { describe } from 'vitest';
import { openEsdbEventStore } from '../../src/eventstore/esdb/index.js';
import { eventStoreContract } from '../contracts/event-store.contract.js';
import { startEsdbDouble } from '../support/esdb-double/esdb-double.js';
import { SERVER_VERSIONS } from '../support/esdb-double/server-version.js';

for (const serverVersion of SERVER_VERSIONS) {
  eventStoreContract(`eventstoredb (gRPC test double as ${serverVersion})`, async () => {
    const double = await startEsdbDouble({ serverVersion });
    const store = openEsdbEventStore({ connectionString: double.connectionString });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await double.stop();
      },
    };
  });
}

const realServer = process.env.EVENTSTORE_URL;
if (!realServer) {
  console.warn('EVENTSTORE_URL is unset: the event store contract runs against the gRPC test double only, not a real EventStoreDB.');
}

describe.skipIf(!realServer)(
  realServer
    ? 'against the EventStoreDB at EVENTSTORE_URL'
    : 'against a real EventStoreDB: SKIPPED because EVENTSTORE_URL is unset (e.g. EVENTSTORE_URL=esdb://localhost:2113?tls=false)',
  () => {
    eventStoreContract('eventstoredb (real server)', async () => {
      const store = openEsdbEventStore({ connectionString: realServer! });
      return { store, cleanup: () => store.close() };
    });
  },
);
