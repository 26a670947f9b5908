// Run by sqlite-durability.test.ts in its own process: appends forever from several concurrent
// appenders and prints one JSON line per acknowledged append, until it is killed.
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/index.js';

const APPENDERS = 20;
const file = process.argv[2];
if (!file) throw new Error('usage: sqlite-durability-child.ts <events file>');

const store = openSqliteEventStore({ file });

async function appendForever(): Promise<never> {
  const stream = `feature-${ulid()}`;
  for (let revision = 0; ; revision++) {
    const id = randomUUID();
    const event = { id, type: 'FeatureUpdated', data: { revision }, metadata: { actor: 'durability-check' } };
    const result = await store.append(stream, [event], revision === 0 ? 'no_stream' : revision - 1);
    // Written only after the append resolved, so every printed line is an acknowledged append.
    process.stdout.write(`${JSON.stringify({ stream, id, revision: result.nextRevision, position: String(result.position) })}\n`);
  }
}

await Promise.all(Array.from({ length: APPENDERS }, appendForever));
