import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/index.js';
import { eventStoreContract } from '../contracts/event-store.contract.js';

eventStoreContract('sqlite', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'agent-ledger-events-'));
  const store = openSqliteEventStore({ file: join(directory, 'events.sqlite') });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});
