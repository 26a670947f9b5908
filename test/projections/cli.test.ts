import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/index.js';
import { openEmbeddedReadStore } from '../../src/readstore/embedded/index.js';
import { allProjections } from '../../src/projections/read-models/index.js';
import { RebuildClaims } from '../../src/projections/rebuild/rebuild-claims.js';
import { ProjectionRegistry } from '../../src/projections/projection-registry.js';
import type { EventStore } from '../../src/eventstore/port.js';
import type { ReadStore } from '../../src/readstore/port.js';
import { appendDeliveryLog } from '../../bench/rebuild-log.js';
import { eventually, FIRST_BUILD_COLLECTION, generationsAfter, replayInto, service, snapshot } from './support/stores.js';

const repoRoot = resolve(import.meta.dirname, '../..');
let dataDir: string;
let stores: { events: EventStore; readStore: ReadStore };

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'agent-ledger-cli-'));
  stores = { events: openSqliteEventStore({ file: join(dataDir, 'events.db') }), readStore: openEmbeddedReadStore({ file: join(dataDir, 'read-models.db') }) };
  await appendDeliveryLog(stores.events, 6_000);
  const live = service(stores, allProjections());
  await live.start();
  expect(await live.waitForAll((await stores.events.headPosition())!, 30_000)).toBe(true);
  await live.stop();
});
afterEach(async () => {
  await stores.events.close();
  await stores.readStore.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function cli(...args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/projections.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', MONGODB_URL: '', EVENTSTORE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolveDone) =>
    child.once('exit', (code, signal) => resolveDone({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

describe('npm run projections', () => {
  it('rebuild killed midway, then run again: the live version served throughout, and the second run resumes, swaps and exits 0 with the state of a fresh replay', { timeout: 120_000 }, async () => {
    const logicals = allProjections().flatMap((projection) => Object.keys(projection.collections));
    const first = cli('rebuild', 'all', '--batch-size', '10');
    const head = Number(await stores.events.headPosition());
    const registry = new ProjectionRegistry(stores.readStore);
    // Under way, with something saved: every new generation has a checkpoint, none past the middle.
    await eventually(async () => {
      const checkpoints = await Promise.all(allProjections().map((projection) => registry.checkpoint(projection.name, { version: projection.version, build: 1 })));
      return checkpoints.every((checkpoint) => checkpoint !== null && Number(checkpoint.position) < head / 2);
    }, 'the first run to be under way', 60_000);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');

    const observer = service(stores, allProjections(), { run: false });
    await observer.start();
    expect((await observer.status()).map((status) => status.generation)).toEqual(generationsAfter(allProjections(), 0));
    expect(await observer.collection('audit').count({})).toBe(head);
    await observer.stop();

    const second = await cli('rebuild', 'all').done;
    expect(second.code).toBe(0);
    // The progress bar (on stderr) got to the end; nothing else was said there.
    expect(second.stderr).toContain('100% |');
    expect(second.stderr).not.toMatch(/error|fail/i);
    expect(second.stdout).toContain('audit: v1_b1 is live');

    const status = await cli('status').done;
    expect(status.code).toBe(0);
    expect(status.stdout.split('\n').filter((line) => /\sv\d+_b1\s/.test(line))).toHaveLength(allProjections().length);

    const after = service(stores, allProjections(), { run: false });
    await after.start();
    const rebuilt = await snapshot(after, logicals);
    // The second run went on from the first one's checkpoint rather than from the start.
    expect((await after.status()).every((item) => item.lastRebuild!.events < head)).toBe(true);
    await after.stop();
    const replayStore = openEmbeddedReadStore({ file: join(dataDir, 'replay.db') });
    try {
      expect(rebuilt).toEqual(await replayInto(stores.events, replayStore, allProjections()));
    } finally {
      await replayStore.close();
    }
    expect((await stores.readStore.listCollections()).filter((name) => FIRST_BUILD_COLLECTION.test(name))).toEqual([]);
  });

  it('refuses, with exit code 3, a rebuild that a live process is running, and 2 for an unknown projection', { timeout: 60_000 }, async () => {
    const claims = new RebuildClaims(stores.readStore);
    await claims.claim('features', 'requested');
    await claims.take('features', `${hostname()}#${process.pid}#alive`, { version: 1, build: 1 });

    const busy = await cli('rebuild', 'features').done;
    const unknown = await cli('rebuild', 'nope').done;

    expect(busy.code).toBe(3);
    expect(busy.stderr).toContain('already requested or running for: features');
    expect(unknown.code).toBe(2);
  });
});
