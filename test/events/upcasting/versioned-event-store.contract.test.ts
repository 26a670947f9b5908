import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '../../../src/eventstore/sqlite/index.js';
import { VersionedEventStore } from '../../../src/events/upcasting/versioned-event-store.js';
import { eventStoreContract } from '../../contracts/event-store.contract.js';
import { parcelVersioning } from './parcel-chain.js';

// The decorator is an event store like any adapter: the port's contract holds through it. (With
// a test-only chain: the contract writes free-form data under domain event names, which the
// ledger's own schemas rightly refuse.)
eventStoreContract('versioned (over sqlite)', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'agent-ledger-versioned-'));
  const store = new VersionedEventStore(openSqliteEventStore({ file: join(directory, 'events.sqlite') }), parcelVersioning);
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});
