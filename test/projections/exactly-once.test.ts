import { afterEach, describe, expect, it } from 'vitest';
import { positionKey } from '../../src/events/positions.js';
import type { EventStore } from '../../src/eventstore/port.js';
import type { ProjectionService } from '../../src/projections/projection-service.js';
import { numbered, service, TempStores } from './support/stores.js';
import { recordingProjection } from './support/test-projections.js';

const WRITERS = 20;
const EVENTS_PER_WRITER = 200;

let stores: TempStores;
let projections: ProjectionService;
let other: { events: EventStore; close(): Promise<void> } | null = null;
afterEach(async () => {
  await projections.stop();
  await other?.close();
  await stores.cleanup();
});

/** One writer appending its events one command at a time to its own streams; returns their positions. */
async function writer(events: EventStore, id: number): Promise<bigint[]> {
  const positions: bigint[] = [];
  for (let i = 0; i < EVENTS_PER_WRITER; i++) {
    const result = await events.append(`writer${id}-${i % 7}`, [numbered('Written', i)], 'any');
    positions.push(result.position);
  }
  return positions;
}

describe('ordering and gaps', () => {
  it(`applies every event exactly once while ${WRITERS} writers append ${EVENTS_PER_WRITER} events each, half of them from another connection`, async () => {
    stores = new TempStores();
    const more = stores.openMore();
    other = { events: more.events, close: async () => (await more.events.close(), await more.readStore.close()) };
    projections = service(stores, [recordingProjection()], { runner: { batchSize: 37 } });
    await projections.start();

    const written = (await Promise.all(Array.from({ length: WRITERS }, (_, id) => writer(id % 2 === 0 ? stores.events : more.events, id)))).flat();
    const head = written.reduce((max, position) => (position > max ? position : max), 0n);
    expect(await projections.waitForAll(head, 20_000)).toBe(true);

    const applied = await projections.collection('recorder_applied').find({}, { sort: [['id', 1]] });
    expect(written).toHaveLength(WRITERS * EVENTS_PER_WRITER);
    expect(applied.map((doc) => doc.id)).toEqual([...written].sort((a, b) => (a < b ? -1 : 1)).map(positionKey));
    expect(applied.filter((doc) => doc.applications !== 1)).toEqual([]);
  });
});
