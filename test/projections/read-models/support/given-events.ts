import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '../../../../src/eventstore/port.js';
import type { EventMetadata } from '../../../../src/events/metadata.js';
import type { EventData, EventType } from '../../../../src/events/typed-events.js';
import type { Doc, ReadStore } from '../../../../src/readstore/port.js';
import { openEmbeddedReadStore } from '../../../../src/readstore/embedded/index.js';
import type { Projection } from '../../../../src/projections/projection.js';
import { ProjectionRegistry } from '../../../../src/projections/projection-registry.js';
import { ParkedEvents } from '../../../../src/projections/projection-parking.js';
import { ProjectionWriter } from '../../../../src/projections/projection-writer.js';
import { APPLIED_POSITION } from '../../../../src/projections/unit-of-work.js';

/** Builds the events of a given/when/then: positions and stream revisions count up as they are made. */
export class EventLog {
  private position = 0n;
  private readonly revisions = new Map<string, number>();

  /** A domain event, its data typed by its type. */
  event<Type extends EventType>(streamName: string, type: Type, data: EventData<Type>, metadata: Partial<EventMetadata> = {}): StoredEvent {
    return this.raw(streamName, type, data, metadata);
  }

  /** Any event, as another tool might have written it. */
  raw(streamName: string, type: string, data: unknown, metadata: Record<string, unknown> = {}): StoredEvent {
    const revision = (this.revisions.get(streamName) ?? -1) + 1;
    this.revisions.set(streamName, revision);
    const position = ++this.position;
    const at = new Date(Date.UTC(2026, 0, 1) + Number(position) * 60_000);
    return {
      id: randomUUID(),
      streamName,
      type,
      revision,
      position,
      data,
      metadata: { actor: 'alice', actorRole: 'engineer', at: at.toISOString(), ...metadata },
      recordedAt: at,
    };
  }
}

export interface ProjectedDocuments {
  /** Every document of a read-model collection, by id, without the applied-position bookkeeping. */
  all(collection: string): Promise<Doc[]>;
  one(collection: string, id: string): Promise<Doc | null>;
  /** Applies more events, as a later batch would. */
  apply(events: StoredEvent[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Given these events, the documents the projection writes: applied in one batch by the runner's
 * own writer (so events it does not handle are skipped as in production) to an in-memory
 * embedded read store.
 */
export async function given(projection: Projection, events: StoredEvent[]): Promise<ProjectedDocuments> {
  const readStore: ReadStore = openEmbeddedReadStore({ file: ':memory:' });
  const parked = new ParkedEvents(readStore);
  await parked.ensureIndexes();
  // One attempt: a handler error fails the test instead of being retried and parked quietly.
  const writer = new ProjectionWriter(readStore, new ProjectionRegistry(readStore), parked, projection, { version: projection.version, build: 0 }, {
    maxAttempts: 1,
    retryDelayMs: 0,
  });
  await writer.ensureIndexes();
  const apply = async (batch: StoredEvent[]) => {
    const result = await writer.applyBatch(batch);
    if (result.parked > 0) {
      const [first] = await parked.list(projection.name, writer.generation, { limit: 1 });
      throw new Error(`the projection failed on an event: ${first?.error}`);
    }
  };
  await apply(events);
  const withoutBookkeeping = ({ [APPLIED_POSITION]: _position, ...doc }: Doc): Doc => doc as Doc;
  return {
    async all(collection) {
      const docs = await writer.store(collection).find({}, { sort: [['id', 1]] });
      return docs.map(withoutBookkeeping);
    },
    async one(collection, id) {
      const doc = await writer.store(collection).get(id);
      return doc && withoutBookkeeping(doc);
    },
    apply,
    close: () => readStore.close(),
  };
}
