import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventStore, StoredEvent } from '../../../src/eventstore/port.js';
import { InvalidEventError, VersionedEventStore } from '../../../src/events/upcasting/versioned-event-store.js';
import { UnknownSchemaVersionError } from '../../../src/events/upcasting/upcaster-chain.js';
import { temporaryStores } from '../../resilience/support/stores.js';
import { parcelVersioning } from './parcel-chain.js';

let stores: ReturnType<typeof temporaryStores>;
let raw: EventStore;
let versioned: VersionedEventStore;
beforeEach(() => {
  stores = temporaryStores();
  raw = stores.events;
  versioned = new VersionedEventStore(raw, parcelVersioning);
});
afterEach(async () => stores.dispose());

const event = (type: string, data: unknown, metadata: Record<string, unknown> = {}) => ({ id: randomUUID(), type, data, metadata: { actor: 'test', ...metadata } });
const shapes = (events: StoredEvent[]) => events.map((e) => ({ type: e.type, data: e.data, schemaVersion: e.metadata.schemaVersion }));

/** An old release's events, written straight to the log. */
async function givenOldEvents(): Promise<void> {
  await raw.append('parcel-1', [event('ParcelWeighed', { weight: 3 }, { schemaVersion: 1 })], 'no_stream');
  await raw.append('parcel-1', [event('ParcelWeighed', { weight: 40, unit: 'g' }, { schemaVersion: 2 })], 0);
  // Written before any version was stamped: the first version.
  await raw.append('parcel-1', [event('ParcelWeighed', { weight: 1 })], 1);
}

const CURRENT = [
  { type: 'ParcelWeighed', data: { grams: 3000 }, schemaVersion: 3 },
  { type: 'ParcelWeighed', data: { grams: 40 }, schemaVersion: 3 },
  { type: 'ParcelWeighed', data: { grams: 1000 }, schemaVersion: 3 },
];

describe('the versioned event store', () => {
  describe('on append', () => {
    it('stamps the type current version and stores the data as given', async () => {
      await versioned.append('parcel-1', [event('ParcelWeighed', { grams: 12 }, { schemaVersion: 1 })], 'no_stream');
      const [stored] = await raw.readStream('parcel-1');
      expect(stored!.data).toEqual({ grams: 12 });
      expect(stored!.metadata).toEqual({ actor: 'test', schemaVersion: 3 });
    });

    it('refuses data that does not match the current schema, and appends nothing of the batch', async () => {
      const append = versioned.append('parcel-1', [event('ParcelWeighed', { grams: 1 }), event('ParcelWeighed', { weight: 3 })], 'no_stream');
      await expect(append).rejects.toThrow(InvalidEventError);
      await expect(append).rejects.toThrow(/invalid ParcelWeighed: grams/);
      expect(await raw.headPosition()).toBeNull();
    });

    it('appends event types it does not declare as they are', async () => {
      await versioned.append('other-1', [event('Noted', { anything: true })], 'no_stream');
      expect((await raw.readStream('other-1'))[0]!.metadata).toEqual({ actor: 'test' });
    });
  });

  describe('on every read, older events arrive in the current shape with the current version', () => {
    beforeEach(givenOldEvents);

    it('reading a stream', async () => {
      expect(shapes(await versioned.readStream('parcel-1'))).toEqual(CURRENT);
      expect(shapes(await versioned.readStream('parcel-1', { direction: 'backwards', maxCount: 1 }))).toEqual([CURRENT[2]]);
    });

    it('reading the global log', async () => {
      expect(shapes(await versioned.readAll())).toEqual(CURRENT);
      expect(shapes(await versioned.readAll({ streamPrefix: 'parcel-' }))).toEqual(CURRENT);
    });

    it('a catch-up subscription', async () => {
      const seen: StoredEvent[] = [];
      const subscription = versioned.subscribeToAll({ after: null, onBatch: async (batch) => void seen.push(...batch) });
      while (seen.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      await subscription.stop();
      expect(shapes(seen)).toEqual(CURRENT);
    });

    it('keeps everything else of the event: id, stream, revision, position and the other metadata', async () => {
      const [before, after] = [await raw.readStream('parcel-1'), await versioned.readStream('parcel-1')];
      expect(after.map(({ data: _d, metadata: { schemaVersion: _v, ...metadata }, ...rest }) => ({ ...rest, metadata }))).toEqual(
        before.map(({ data: _d, metadata: { schemaVersion: _v, ...metadata }, ...rest }) => ({ ...rest, metadata })),
      );
    });
  });

  it('hands out current events and undeclared types exactly as stored', async () => {
    await versioned.append('parcel-1', [event('ParcelWeighed', { grams: 7 })], 'no_stream');
    await raw.append('other-1', [event('Noted', { n: 1 }, { schemaVersion: 9 })], 'no_stream');
    expect(await versioned.readAll()).toEqual(await raw.readAll());
  });

  it('refuses to read an event written by a newer release, with a clear error', async () => {
    await raw.append('parcel-1', [event('ParcelWeighed', { kilos: 1 }, { schemaVersion: 4 })], 'no_stream');
    await expect(versioned.readStream('parcel-1')).rejects.toThrow(UnknownSchemaVersionError);
    await expect(versioned.readAll()).rejects.toThrow('ParcelWeighed has schema version 4, but this release reads versions 1 to 3 only');
  });
});
