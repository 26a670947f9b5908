import type { CollectionWrite, ReadStore } from './port.js';

/**
 * Writes to several collections: in one transaction where the store offers it, else one bulk
 * write per entry in the order given, so an entry written last (a checkpoint) is stored only
 * after the entries before it.
 */
export async function writeCollections(store: ReadStore, writes: CollectionWrite[]): Promise<void> {
  const nonEmpty = writes.filter((write) => write.ops.length > 0);
  if (nonEmpty.length === 0) return;
  if (store.bulkWrite) return store.bulkWrite(nonEmpty);
  for (const write of nonEmpty) await store.collection(write.collection).bulk(write.ops);
}
