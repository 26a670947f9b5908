import type {
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
} from '../../../src/eventstore/port.js';
import type { BulkOp, Doc, Filter, FindOptions, IndexSpec, ReadCollection, ReadStore, Update } from '../../../src/readstore/port.js';
import type { BackendOptions } from '../../../src/app/backends.js';
import { Faults } from './faults.js';

/** The event store with faults injected into every call and subscription. */
export function faultyEventStore(inner: EventStore, faults: Faults): EventStore {
  return {
    append: (stream: string, events: EventToAppend[], expected: ExpectedRevision) => faults.around('append', () => inner.append(stream, events, expected)),
    readStream: (stream: string, options?: ReadStreamOptions) => faults.around('readStream', () => inner.readStream(stream, options)),
    readAll: (options?: ReadAllOptions) => faults.around('readAll', () => inner.readAll(options)),
    headPosition: () => faults.around('headPosition', () => inner.headPosition()),
    ping: () => faults.around('ping', () => inner.ping()),
    close: () => inner.close(),
    subscribeToAll: (options: SubscribeOptions) => droppableSubscription(inner, options, faults),
  };
}

/**
 * A subscription that ends with an error when the faults drop connections (at once while the
 * backend is down). Its owner is expected to resubscribe from its checkpoint.
 */
function droppableSubscription(inner: EventStore, options: SubscribeOptions, faults: Faults): Subscription {
  let fail: (error: Error) => void = () => undefined;
  const dropped = new Promise<never>((_resolve, reject) => (fail = reject));
  dropped.catch(() => undefined);
  const subscription = inner.subscribeToAll(options);
  const stopListening = faults.onDrop((error) => {
    fail(error);
    void subscription.stop();
  });
  if (faults.isDown) queueMicrotask(() => faults.dropSubscriptions());
  const done = Promise.race([subscription.done, dropped]).finally(stopListening);
  done.catch(() => undefined);
  return {
    stop: async () => {
      stopListening();
      await subscription.stop();
    },
    done,
  };
}

/** The read store with faults injected into every call of it and of its collections. */
export function faultyReadStore(inner: ReadStore, faults: Faults): ReadStore {
  const collection = (name: string): ReadCollection => {
    const target = inner.collection(name);
    return {
      get: (id: string) => faults.around('get', () => target.get(id)),
      getMany: (ids: string[]) => faults.around('getMany', () => target.getMany(ids)),
      find: (filter: Filter, options?: FindOptions) => faults.around('find', () => target.find(filter, options)),
      count: (filter: Filter) => faults.around('count', () => target.count(filter)),
      put: (doc: Doc) => faults.around('put', () => target.put(doc)),
      update: (id: string, update: Update, options?: { upsert?: boolean }) => faults.around('update', () => target.update(id, update, options)),
      delete: (id: string) => faults.around('delete', () => target.delete(id)),
      bulk: (ops: BulkOp[]) => faults.around('bulk', () => target.bulk(ops)),
    };
  };
  return {
    collection,
    ensureIndexes: (name: string, indexes: IndexSpec[]) => faults.around('ensureIndexes', () => inner.ensureIndexes(name, indexes)),
    dropCollection: (name: string) => faults.around('dropCollection', () => inner.dropCollection(name)),
    listCollections: () => faults.around('listCollections', () => inner.listCollections()),
    ping: () => faults.around('ping', () => inner.ping()),
    close: () => inner.close(),
  };
}

/** Both backends of a test app behind fault injectors, with fast resilience settings. */
export function faultyBackends(options: { callTimeoutMs?: number; halfOpenAfterMs?: number; breakerThreshold?: number } = {}) {
  const events = new Faults('event store');
  const readStore = new Faults('read store');
  const resilience = {
    callTimeoutMs: options.callTimeoutMs ?? 150,
    maxAttempts: 3,
    initialBackoffMs: 5,
    maxBackoffMs: 20,
    breakerThreshold: options.breakerThreshold ?? 5,
    halfOpenAfterMs: options.halfOpenAfterMs ?? 300,
  };
  const backendOptions: BackendOptions = {
    intercept: { events: (store) => faultyEventStore(store, events), readStore: (store) => faultyReadStore(store, readStore) },
    resilience: { events: resilience, readStore: resilience },
  };
  return { faults: { events, readStore }, backendOptions };
}
