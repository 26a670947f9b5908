import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '../../../src/eventstore/sqlite/index.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { loadLog, type LoggedEvent } from './fixture-log.js';

/** The API on a fresh data directory whose event store holds exactly `log` (no agents running). */
export async function appOnLog(log: LoggedEvent[]): Promise<TestApp & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-old-log-'));
  const raw = openSqliteEventStore({ file: join(dataDir, 'events.db') });
  try {
    await loadLog(raw, log);
  } finally {
    await raw.close();
  }
  const app = await startTestApp({}, { dataDir });
  return {
    ...app,
    dataDir,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
