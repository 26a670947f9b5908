import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '../../../src/eventstore/sqlite/index.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { loadLog, type LoggedEvent } from './fixture-log.js';

/** A fresh data directory whose event store holds exactly `log`, and nothing else yet. */
export async function dataDirWithLog(log: LoggedEvent[]): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-old-log-'));
  const raw = openSqliteEventStore({ file: join(dataDir, 'events.db') });
  try {
    await loadLog(raw, log);
  } finally {
    await raw.close();
  }
  return dataDir;
}

/** The API (no agents running) on a fresh data directory holding `log`; close removes it. */
export async function appOnLog(log: LoggedEvent[]): Promise<TestApp & { dataDir: string }> {
  const directory = await dataDirWithLog(log);
  const app = await startTestApp({}, { dataDir: directory });
  return {
    ...app,
    dataDir: directory,
    async close() {
      await app.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
