import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommandBus } from '../../src/commands/command-bus.js';
import { aggregates } from '../../src/commands/registry.js';
import { loadAggregate } from '../../src/commands/load-aggregate.js';
import { loadCurrent } from '../../src/commands/load-current.js';
import { ReadStoreSnapshots, SNAPSHOT_COLLECTION } from '../../src/commands/snapshots.js';
import { featureDecider } from '../../src/domain/feature/index.js';
import { openEmbeddedReadStore } from '../../src/readstore/embedded/index.js';
import type { ReadStore } from '../../src/readstore/port.js';
import { createFeature, temporaryEventStore, update } from './support/ledger-fixture.js';

// A snapshot is a shortcut to a stream's state, never a source of answers.
let fixture: ReturnType<typeof temporaryEventStore>;
let readStore: ReadStore;
let featureId: string;
let commandIds: string[];
const stream = () => `feature-${featureId}`;
const withSnapshots = (every = 100) => new CommandBus(fixture.store, aggregates, { snapshots: new ReadStoreSnapshots(readStore), snapshotEvery: every });

beforeEach(async () => {
  fixture = temporaryEventStore('agent-ledger-snapshots-');
  readStore = openEmbeddedReadStore({ file: ':memory:' });
  const bus = withSnapshots();
  featureId = await createFeature(bus);
  commandIds = [];
  // 250 events, one command after another: snapshots at revisions 99 and 199.
  for (let i = 1; i < 250; i++) commandIds.push((await update(bus, featureId, (i % 100) + 1)).commandId);
  await bus.snapshotsWritten();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await readStore.close();
  await fixture.remove();
});

describe('aggregate snapshots', () => {
  it('given 250 events and a snapshot every 100, after a restart a command reads only the events after the latest snapshot', async () => {
    expect(await readStore.collection(SNAPSHOT_COLLECTION).get(stream())).toMatchObject({ revision: 199 });
    const restarted = withSnapshots();
    const readStream = vi.spyOn(fixture.store, 'readStream');
    const result = await update(restarted, featureId, 77);

    expect(result.revision).toBe(250);
    expect(readStream.mock.calls.filter(([name]) => name === stream())).toEqual([[stream(), { fromRevision: 200 }]]);
  });

  it('given the snapshots are deleted, every answer is the same: the state and a repeated early command', async () => {
    const answers = async () => {
      const restarted = withSnapshots(0);
      const state = await loadCurrent(fixture.store, featureDecider, featureId, { snapshots: new ReadStoreSnapshots(readStore) });
      const repeat = await update(restarted, featureId, 3, commandIds[10]);
      return { state: state.state, revision: state.revision, repeat };
    };
    const fromSnapshot = await answers();
    await readStore.dropCollection(SNAPSHOT_COLLECTION);
    const fromEvents = await answers();

    expect(fromEvents).toEqual(fromSnapshot);
    expect(fromEvents.state).toEqual((await loadAggregate(fixture.store, featureDecider, featureId)).state);
    expect(fromEvents.repeat.revision).toBe(11);
    expect(fromEvents.revision).toBe(249);
  });

  it('given a snapshot taken with another state version, it is ignored and the state comes from the events', async () => {
    const snapshots = new ReadStoreSnapshots(readStore);
    const tampered = { ...(await readStore.collection(SNAPSHOT_COLLECTION).get(stream()))!, state: { status: 'deleted', name: 'from the snapshot' } };
    await readStore.collection(SNAPSHOT_COLLECTION).put(tampered);

    // The same version trusts the snapshot (this is how the test sees that it is read at all)...
    const sameVersion = await loadCurrent(fixture.store, featureDecider, featureId, { snapshots, stateVersion: 1 });
    expect(sameVersion.state).toMatchObject({ name: 'from the snapshot' });
    // ...a newer decider's version does not.
    const newerVersion = await loadCurrent(fixture.store, featureDecider, featureId, { snapshots, stateVersion: 2 });
    expect(newerVersion.state).toEqual((await loadAggregate(fixture.store, featureDecider, featureId)).state);
  });

  it('snapshots are not events: the log holds the domain events only', async () => {
    const all = await fixture.store.readAll();
    expect(all.filter((event) => event.streamName === stream())).toHaveLength(250);
    expect(all.every((event) => !event.streamName.includes('snapshot') && !event.type.toLowerCase().includes('snapshot'))).toBe(true);
  });
});
