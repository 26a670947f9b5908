import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../src/backends/errors.js';
import type { EventToAppend } from '../../src/eventstore/port.js';
import { SqliteEventStore } from '../../src/eventstore/sqlite/index.js';
import { CommitWorker } from '../../src/eventstore/sqlite/commit-worker-client.js';
import { openEventDatabase } from '../../src/eventstore/sqlite/schema.js';

function anEvent(): EventToAppend {
  return { id: randomUUID(), type: 'FeatureUpdated', data: { value: 1 }, metadata: { actor: 'alice' } };
}

describe('sqlite event store commit worker', () => {
  let directory: string;
  let file: string;
  let worker: CommitWorker;
  let store: SqliteEventStore;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'agent-ledger-commit-worker-'));
    file = join(directory, 'events.sqlite');
    const db = openEventDatabase(file);
    worker = new CommitWorker(file, db);
    store = new SqliteEventStore(db, worker);
  });

  afterEach(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('given appends right after opening, before the worker has loaded, then they commit without waiting for it', async () => {
    const stream = `feature-${ulid()}`;

    const results = await Promise.all([store.append(stream, [anEvent()], 'no_stream'), store.append(stream, [anEvent()], 0)]);

    expect(results.map((result) => result.nextRevision)).toEqual([0, 1]);
    await worker.whenReady();
    expect((await store.append(stream, [anEvent()], 1)).nextRevision).toBe(2);
    expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0, 1, 2]);
  });

  it('given an append in flight, when the worker dies, then it fails as unavailable, the next appends commit, and a new worker takes over', async () => {
    await worker.whenReady();
    await store.append(`feature-${ulid()}`, [anEvent()], 'no_stream');

    const inFlight = store.append(`feature-${ulid()}`, [anEvent()], 'no_stream');
    await new Promise((resolve) => setImmediate(resolve));
    await worker.terminate();

    await expect(inFlight).rejects.toBeInstanceOf(BackendUnavailableError);
    const stream = `feature-${ulid()}`;
    const after = await store.append(stream, [anEvent(), anEvent()], 'no_stream');
    const log = await store.readAll();
    expect(log[log.length - 1]!.position).toBe(after.position);
    expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0, 1]);
    const positions = log.map((event) => event.position);
    expect(positions[positions.length - 1]! - positions[0]! + 1n).toBe(BigInt(positions.length));
    await worker.whenReady();
    expect((await store.append(stream, [anEvent()], 1)).nextRevision).toBe(2);
  });

  it('given a worker that dies every time, then appends keep failing as unavailable and it stops being restarted', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      await worker.whenReady();
      const append = store.append(`feature-${ulid()}`, [anEvent()], 'no_stream');
      await new Promise((resolve) => setImmediate(resolve));
      await worker.terminate();
      await expect(append).rejects.toBeInstanceOf(BackendUnavailableError);
    }

    await expect(store.append(`feature-${ulid()}`, [anEvent()], 'no_stream')).rejects.toThrow(/commit worker keeps failing/);
  });
});
