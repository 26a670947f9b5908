// Commits of several projections in one turn become one write; a failing one fails alone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CollectionWrite, ReadStore } from '../../src/readstore/port.js';
import { GroupedWrites } from '../../src/projections/grouped-writes.js';
import { temporaryStores } from '../resilience/support/stores.js';

let stores: ReturnType<typeof temporaryStores>;
let calls: CollectionWrite[][];
let store: ReadStore;
beforeEach(() => {
  stores = temporaryStores();
  calls = [];
  const inner = stores.readStore;
  store = {
    collection: (name) => inner.collection(name),
    ensureIndexes: (name, indexes) => inner.ensureIndexes(name, indexes),
    dropCollection: (name) => inner.dropCollection(name),
    listCollections: () => inner.listCollections(),
    ping: () => inner.ping(),
    close: () => inner.close(),
    bulkWrite: (writes) => (calls.push(writes), inner.bulkWrite!(writes)),
  };
});
afterEach(() => stores.dispose());

const commit = (collection: string, id: string, position: string): CollectionWrite[] => [
  { collection, ops: [{ put: { id, position } }] },
  { collection: '_checkpoints', ops: [{ put: { id: `${collection}@v1`, position } }] },
];

describe('grouped writes', () => {
  it('given commits from several projections in one turn, then they are written once, the checkpoints after every document', async () => {
    const grouped = new GroupedWrites(store);

    await Promise.all([grouped.write(commit('rm_a', 'a1', '5')), grouped.write(commit('rm_b', 'b1', '5')), grouped.write(commit('rm_c', 'c1', '5'))]);

    expect(calls).toHaveLength(1);
    expect(calls[0]!.map((write) => write.collection)).toEqual(['rm_a', 'rm_b', 'rm_c', '_checkpoints']);
    expect(calls[0]!.at(-1)!.ops).toHaveLength(3);
    expect(await stores.readStore.collection('_checkpoints').count({})).toBe(3);
    expect(await stores.readStore.collection('rm_b').get('b1')).toEqual({ id: 'b1', position: '5' });
  });

  it('when one commit cannot be written, the others are written on their own and only it fails', async () => {
    await stores.readStore.collection('rm_b').put({ id: 'taken' });
    const grouped = new GroupedWrites(store);

    const results = await Promise.allSettled([
      grouped.write(commit('rm_a', 'a1', '6')),
      grouped.write([{ collection: 'rm_b', ops: [{ insert: { id: 'taken' } }] }]),
      grouped.write(commit('rm_c', 'c1', '6')),
    ]);

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await stores.readStore.collection('rm_a').get('a1')).not.toBeNull();
    expect(await stores.readStore.collection('rm_c').get('c1')).not.toBeNull();
    expect(calls).toHaveLength(4);
  });

  it('commits in later turns are later writes', async () => {
    const grouped = new GroupedWrites(store);

    await grouped.write(commit('rm_a', 'a1', '7'));
    await grouped.write(commit('rm_a', 'a1', '8'));

    expect(calls).toHaveLength(2);
    expect(await stores.readStore.collection('rm_a').get('a1')).toEqual({ id: 'a1', position: '8' });
  });
});
