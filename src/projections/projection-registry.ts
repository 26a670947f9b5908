import type { ReadStore } from '../readstore/port.js';
import { physicalCollection, type Projection } from './projection.js';

const REGISTRY = '_projections';
const CHECKPOINTS = '_checkpoints';

/**
 * Which version of each projection is live, and how far each version has read the log.
 * Both live in the read store beside the read models, so they move with them.
 */
export class ProjectionRegistry {
  constructor(private readonly store: ReadStore) {}

  async liveVersion(projection: Projection): Promise<number> {
    const doc = await this.store.collection(REGISTRY).get(projection.name);
    return typeof doc?.liveVersion === 'number' ? doc.liveVersion : projection.version;
  }

  async setLiveVersion(name: string, version: number): Promise<void> {
    await this.store.collection(REGISTRY).update(name, { $set: { liveVersion: version, swappedAt: new Date().toISOString() } }, { upsert: true });
  }

  async checkpoint(name: string, version: number): Promise<bigint | null> {
    const doc = await this.store.collection(CHECKPOINTS).get(checkpointId(name, version));
    return typeof doc?.position === 'string' ? BigInt(doc.position) : null;
  }

  async saveCheckpoint(name: string, version: number, position: bigint): Promise<void> {
    await this.store.collection(CHECKPOINTS).put({ id: checkpointId(name, version), position: position.toString(), at: new Date().toISOString() });
  }

  async dropVersion(projection: Projection, version: number): Promise<void> {
    for (const logical of Object.keys(projection.collections)) {
      await this.store.dropCollection(physicalCollection(logical, version));
    }
    await this.store.collection(CHECKPOINTS).delete(checkpointId(projection.name, version));
  }
}

function checkpointId(name: string, version: number): string {
  return `${name}@v${version}`;
}
