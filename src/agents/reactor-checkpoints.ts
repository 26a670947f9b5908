import type { ReadStore } from '../readstore/port.js';
import { positionKey } from '../events/positions.js';
import type { StoredEvent } from '../eventstore/port.js';

const CHECKPOINTS = '_agent_checkpoints';
const PARKED = '_agent_parked';

/** Where each reactor has read the log up to, and the events it gave up on, in the read store. */
export class ReactorCheckpoints {
  constructor(private readonly store: ReadStore) {}

  async load(reactor: string): Promise<bigint | null> {
    const doc = await this.store.collection(CHECKPOINTS).get(reactor);
    return typeof doc?.position === 'string' ? BigInt(doc.position) : null;
  }

  async save(reactor: string, position: bigint): Promise<void> {
    await this.store.collection(CHECKPOINTS).put({ id: reactor, position: position.toString(), at: new Date().toISOString() });
  }

  /** An event the reactor kept failing on: kept for an operator, and the reactor goes on. */
  async park(reactor: string, event: StoredEvent, error: unknown): Promise<void> {
    await this.store.collection(PARKED).put({
      id: `${reactor}:${positionKey(event.position)}`,
      reactor,
      position: positionKey(event.position),
      eventId: event.id,
      streamName: event.streamName,
      type: event.type,
      error: error instanceof Error ? error.message : String(error),
      parkedAt: new Date().toISOString(),
    });
  }

  async parked(reactor: string): Promise<Array<Record<string, unknown>>> {
    return this.store.collection(PARKED).find({ reactor }, { sort: [['position', 1]], limit: 500 });
  }
}
