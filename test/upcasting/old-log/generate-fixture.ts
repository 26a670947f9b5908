// Writes test/fixtures/<name>/ (default schema-v1): a log written by the code of the day through
// a realistic session (events.ndjson), and what that code answers about it once replayed into a
// fresh store (answers.json). Run with `npx tsx test/upcasting/old-log/generate-fixture.ts [name]`
// to capture a new generation; an existing one is never overwritten: its answers are the test.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp } from '../../support/test-app.js';
import { driveSession } from './ledger-session.js';
import { ledgerAnswers } from './ledger-answers.js';
import { readLog, writeLog } from './fixture-log.js';
import { appOnLog } from './replay-old-log.js';

const directory = join(import.meta.dirname, '..', '..', 'fixtures', process.argv[2] ?? 'schema-v1');
const logFile = join(directory, 'events.ndjson');
if (existsSync(logFile)) {
  console.error(`${directory} already holds a log: it records what an earlier release wrote and answered. Name a new generation.`);
  process.exit(1);
}
mkdirSync(directory, { recursive: true });

const session = await startTestApp({}, { agents: true });
try {
  await driveSession(session);
  await settled(session);
  writeLog(logFile, await session.backends.events.readAll({ maxCount: 100_000 }));
} finally {
  await session.close();
}

const log = readLog(logFile);
const replay = await appOnLog(log);
try {
  writeFileSync(join(directory, 'answers.json'), JSON.stringify(await ledgerAnswers(replay, log), null, 2) + '\n');
} finally {
  await replay.close();
}
console.log(`wrote ${log.length} events and their answers to ${directory}`);

/** The agents react after the commands return: wait until the log stops growing. */
async function settled(app: { backends: { events: { headPosition(): Promise<bigint | null> } } }): Promise<void> {
  let head = await app.backends.events.headPosition();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = await app.backends.events.headPosition();
    if (now === head) return;
    head = now;
  }
}
