import type { CollectionWrite, ReadStore } from '../readstore/port.js';
import { writeCollections } from '../readstore/write-collections.js';

interface Waiting {
  writes: CollectionWrite[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Joins the commits that projections make in the same turn of the event loop into one write:
 * on the embedded store one transaction for every projection's documents and checkpoints,
 * where each projection would otherwise commit its own. The shared log reader hands a batch to
 * every projection at once, so their commits arrive together. When the joint write fails, each
 * commit is written on its own, so only the projection whose write fails sees the failure.
 */
export class GroupedWrites {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly store: ReadStore) {}

  write(writes: CollectionWrite[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ writes, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // After the promises already settling: every projection handed this batch commits first.
      setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const group = this.waiting;
    this.waiting = [];
    if (group.length > 1) {
      try {
        await writeCollections(this.store, joined(group));
        for (const each of group) each.resolve();
        return;
      } catch {
        // Written one by one below, so the failure lands on the commit that causes it.
      }
    }
    for (const each of group) await writeCollections(this.store, each.writes).then(each.resolve, each.reject);
  }
}

/**
 * Every entry, with the entries for one collection merged where that collection last appears:
 * a checkpoint written later than its documents is still safe, and the checkpoints of all the
 * projections become one write.
 */
function joined(group: Waiting[]): CollectionWrite[] {
  const entries = group.flatMap((each) => each.writes);
  const lastIndex = new Map<string, number>();
  entries.forEach((entry, index) => lastIndex.set(entry.collection, index));
  const merged = new Map<string, CollectionWrite>();
  const order: CollectionWrite[] = [];
  entries.forEach((entry, index) => {
    let target = merged.get(entry.collection);
    if (!target) merged.set(entry.collection, (target = { collection: entry.collection, ops: [] }));
    target.ops.push(...entry.ops);
    if (lastIndex.get(entry.collection) === index) order.push(target);
  });
  return order;
}
