import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '../../../src/eventstore/sqlite/index.js';
import { openEmbeddedReadStore } from '../../../src/readstore/embedded/index.js';
import type { EventStore } from '../../../src/eventstore/port.js';
import type { ReadStore } from '../../../src/readstore/port.js';

/** Fresh embedded stores in a temp directory; `dispose` closes them and removes the files. */
export function temporaryStores(): { events: EventStore; readStore: ReadStore; dispose(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'agent-ledger-resilience-'));
  const events = openSqliteEventStore({ file: join(dir, 'events.db') });
  const readStore = openEmbeddedReadStore({ file: join(dir, 'read-models.db') });
  return {
    events,
    readStore,
    async dispose() {
      await events.close();
      await readStore.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
