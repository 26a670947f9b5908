import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend } from '../../../src/eventstore/port.js';
import type { Doc, ReadStore } from '../../../src/readstore/port.js';
import { openSqliteEventStore } from '../../../src/eventstore/sqlite/index.js';
import { openEmbeddedReadStore } from '../../../src/readstore/embedded/index.js';
import type { Projection } from '../../../src/projections/projection.js';
import { generationKey } from '../../../src/projections/projection-generation.js';
import { ProjectionService, type ProjectionServiceOptions } from '../../../src/projections/projection-service.js';

export const silent = pino({ level: 'silent' });

/** An embedded event log and read store in a temp folder; reopen them to simulate a restart. */
export class TempStores {
  readonly dir = mkdtempSync(join(tmpdir(), 'agent-ledger-projections-'));
  events: EventStore = openSqliteEventStore({ file: join(this.dir, 'events.db') });
  readStore: ReadStore = openEmbeddedReadStore({ file: join(this.dir, 'read-models.db') });

  /** Another process on the same files: its own connections to both stores. */
  openMore(): { events: EventStore; readStore: ReadStore } {
    return { events: openSqliteEventStore({ file: join(this.dir, 'events.db') }), readStore: openEmbeddedReadStore({ file: join(this.dir, 'read-models.db') }) };
  }

  /** A read store file nobody else uses, for a fresh replay. */
  freshReadStore(): ReadStore {
    return openEmbeddedReadStore({ file: join(this.dir, `replay-${randomUUID()}.db`) });
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.readStore.close();
  }

  async cleanup(): Promise<void> {
    await this.close().catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function service(stores: { events: EventStore; readStore: ReadStore }, projections: Projection[], options: Partial<ProjectionServiceOptions> = {}): ProjectionService {
  return new ProjectionService(stores.events, stores.readStore, projections, { run: true, logger: silent, registryPollMs: 50, retireAfterMs: 0, ...options });
}

/** Appends `count` events of type `type`, each on its own stream `<category>-<n>`. */
export async function appendNumbered(events: EventStore, category: string, count: number, type = 'Numbered'): Promise<bigint> {
  let last = 0n;
  for (let i = 0; i < count; i++) {
    last = (await events.append(`${category}-${i}`, [numbered(type, i)], 'any')).position;
  }
  return last;
}

export function numbered(type: string, n: number): EventToAppend {
  return { id: randomUUID(), type, data: { n }, metadata: { actor: 'test', at: new Date(0).toISOString() } };
}

/** Every document of each logical read model, by id; `_position` included, so it must match too. */
export async function snapshot(service: ProjectionService, logicals: string[]): Promise<Record<string, Doc[]>> {
  const result: Record<string, Doc[]> = {};
  for (const logical of logicals) result[logical] = await service.collection(logical).find({}, { sort: [['id', 1]] });
  return result;
}

/** What a replay of the whole log builds in `readStore`, which must be empty. */
export async function replayInto(events: EventStore, readStore: ReadStore, projections: Projection[]): Promise<Record<string, Doc[]>> {
  const replay = service({ events, readStore }, projections);
  try {
    await replay.start();
    const head = await events.headPosition();
    if (head !== null && !(await replay.waitForAll(head, 60_000))) throw new Error('the fresh replay did not reach the head');
    return await snapshot(replay, projections.flatMap((projection) => Object.keys(projection.collections)));
  } finally {
    await replay.stop();
  }
}

/** What a replay of the whole log into an empty read store builds. */
export async function freshReplay(stores: TempStores, projections: Projection[], events: EventStore = stores.events): Promise<Record<string, Doc[]>> {
  const readStore = stores.freshReadStore();
  try {
    return await replayInto(events, readStore, projections);
  } finally {
    await readStore.close();
  }
}

export async function eventually<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Each projection's generation key after `build` rebuilds from a fresh start: `v1`, `v1_b1`, `v2_b1`... */
export function generationsAfter(projections: Projection[], build: number): string[] {
  return projections.map((projection) => generationKey({ version: projection.version, build }));
}

/** Physical collections of build 0 (`rm_<logical>_v<n>`): what a first rebuild swaps out. */
export const FIRST_BUILD_COLLECTION = /^rm_.*_v\d+$/;
