import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/eventstore/port.js';
import type { ReadCollection, ReadStore } from '../../src/readstore/port.js';
import { openEmbeddedReadStore } from '../../src/readstore/embedded/index.js';
import { UnitOfWork, APPLIED_POSITION, DocumentReadError } from '../../src/projections/unit-of-work.js';
import { KnownDocuments } from '../../src/projections/rebuild/known-documents.js';
import { poisonableProjection, countingProjection } from './support/test-projections.js';

function event(position: number, n = position, streamName = `thing-${position}`): StoredEvent {
  return { id: `e${position}`, streamName, type: 'Numbered', revision: 0, position: BigInt(position), data: { n }, metadata: {}, recordedAt: new Date(0) };
}

/** Counts the calls the unit of work makes on each collection. */
function spying(store: ReadStore) {
  const calls = { get: 0, bulk: 0 };
  const collection = (name: string): ReadCollection => {
    const inner = store.collection(name);
    return {
      ...inner,
      get: (id) => (calls.get++, inner.get(id)),
      getMany: (ids) => inner.getMany(ids),
      find: (filter, options) => inner.find(filter, options),
      count: (filter) => inner.count(filter),
      put: (doc) => inner.put(doc),
      update: (id, update, options) => inner.update(id, update, options),
      delete: (id) => inner.delete(id),
      bulk: (ops) => (calls.bulk++, inner.bulk(ops)),
    };
  };
  return { calls, collection };
}

let store: ReadStore;
beforeEach(() => {
  store = openEmbeddedReadStore({ file: ':memory:' });
});
afterEach(async () => store.close());

describe('unit of work', () => {
  it('given a document that already carries an event, when that event is applied again, then nothing changes', async () => {
    const projection = countingProjection();
    const first = new UnitOfWork((name) => store.collection(name));
    await first.apply(projection, event(1, 1, 'a-1'));
    await first.apply(projection, event(2, 2, 'a-2'));
    await first.flush();

    const replay = new UnitOfWork((name) => store.collection(name));
    await replay.apply(projection, event(2, 2, 'a-2'));
    await replay.flush();

    expect(await store.collection('counter_counts').get('a')).toEqual({ id: 'a', count: 2, [APPLIED_POSITION]: '00000000000000000002' });
  });

  it('when a handler throws after writing, then that event leaves nothing behind while the others of the batch stay', async () => {
    const projection = poisonableProjection(new Set([2]));
    const unit = new UnitOfWork((name) => store.collection(name));
    await unit.apply(projection, event(1));
    await expect(unit.apply(projection, event(2))).rejects.toThrow('cannot handle 2');
    await unit.apply(projection, event(3));
    await unit.flush();

    const totals = store.collection('ledger_totals');
    expect((await totals.get('all'))?.sum).toBe(4);
    expect((await totals.get('count'))?.events).toBe(2);
  });

  it('in reapply mode an older event is applied on top of a newer document, which keeps its later position', async () => {
    const projection = countingProjection();
    const live = new UnitOfWork((name) => store.collection(name));
    await live.apply(projection, event(5, 5, 'a-5'));
    await live.flush();

    const retry = new UnitOfWork((name) => store.collection(name), { reapply: true });
    await retry.apply(projection, event(3, 3, 'a-3'));
    await retry.flush();

    expect(await store.collection('counter_counts').get('a')).toEqual({ id: 'a', count: 2, [APPLIED_POSITION]: '00000000000000000005' });
  });

  it('writes each collection it touched with one bulk per flush, and reads each document once', async () => {
    const spy = spying(store);
    const unit = new UnitOfWork(spy.collection);
    const projection = countingProjection();
    for (let position = 1; position <= 50; position++) await unit.apply(projection, event(position, position, `c${position % 5}-x`));
    await unit.flush();

    expect(spy.calls).toEqual({ get: 5, bulk: 1 });
    expect((await store.collection('counter_counts').get('c0'))?.count).toBe(10);
  });

  it('with an absence oracle, documents never written are not read from the store', async () => {
    const spy = spying(store);
    const known = new KnownDocuments(2 ** 16);
    const projection = countingProjection();
    const first = new UnitOfWork(spy.collection, { written: known });
    await first.apply(projection, event(1, 1, 'a-1'));
    await first.flush();
    const second = new UnitOfWork(spy.collection, { written: known });
    await second.apply(projection, event(2, 2, 'a-2'));
    await second.apply(projection, event(3, 3, 'b-3'));
    await second.flush();

    expect(spy.calls.get).toBe(1);
    expect((await store.collection('counter_counts').get('a'))?.count).toBe(2);
  });

  it('with an oracle that remembers what it wrote, nothing is read back and new documents are inserted, not upserted', async () => {
    const spy = spying(store);
    const bulks: string[][] = [];
    const recording = (name: string): ReadCollection => {
      const inner = spy.collection(name);
      return { ...inner, bulk: (ops) => (bulks.push(ops.map((op) => Object.keys(op)[0]!)), inner.bulk(ops)) };
    };
    const known = new KnownDocuments(2 ** 16, 100);
    const projection = countingProjection();
    const first = new UnitOfWork(recording, { written: known });
    await first.apply(projection, event(1, 1, 'a-1'));
    await first.flush();
    const second = new UnitOfWork(recording, { written: known });
    await second.apply(projection, event(2, 2, 'a-2'));
    await second.apply(projection, event(3, 3, 'b-3'));
    await second.flush();

    expect(spy.calls.get).toBe(0);
    expect(bulks).toEqual([['insert'], ['put', 'insert']]);
    expect((await store.collection('counter_counts').get('a'))?.count).toBe(2);
    expect((await store.collection('counter_counts').get('b'))?.count).toBe(1);
  });

  it('when a bulk fails, the oracle does not remember it, so a replay reads the stored state', async () => {
    const known = new KnownDocuments(2 ** 16, 100);
    const projection = countingProjection();
    const first = new UnitOfWork((name) => store.collection(name), { written: known });
    await first.apply(projection, event(1, 1, 'a-1'));
    await first.flush();
    const broken = (name: string): ReadCollection => ({ ...store.collection(name), bulk: () => Promise.reject(new Error('disk full')) });
    const failing = new UnitOfWork(broken, { written: known });
    await failing.apply(projection, event(2, 2, 'a-2'));
    await expect(failing.flush()).rejects.toThrow('disk full');

    expect(known.recall('counter_counts', 'a')).toMatchObject({ count: 1 });
  });

  it('a read store failure under a handler is reported as such, not as the handler failing', async () => {
    const failing = (): ReadCollection => ({ ...store.collection('x'), get: () => Promise.reject(new Error('disk gone')) });
    const unit = new UnitOfWork(failing);
    await expect(unit.apply(countingProjection(), event(1))).rejects.toBeInstanceOf(DocumentReadError);
  });
});
