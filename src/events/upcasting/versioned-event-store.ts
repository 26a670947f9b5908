import type { z } from 'zod';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from '../../eventstore/port.js';
import { FIRST_SCHEMA_VERSION } from './upcaster.js';
import { UnknownSchemaVersionError, type UpcasterChain } from './upcaster-chain.js';

/** An event whose data does not match its type's current schema: a bug in the code that wrote it. */
export class InvalidEventError extends Error {
  constructor(
    readonly eventType: string,
    readonly issues: z.core.$ZodIssue[],
  ) {
    super(`refused to append an invalid ${eventType}: ${issues.map((issue) => `${issue.path.join('.') || '(data)'} ${issue.message}`).join('; ')}`);
    this.name = 'InvalidEventError';
  }
}

export interface EventVersioning {
  /** The current data schema of every event type the ledger writes. */
  schemas: ReadonlyMap<string, z.ZodType>;
  upcasters: UpcasterChain;
}

/**
 * The event store as the rest of the system sees it. An append checks each event's data against
 * its type's current schema, so an invalid event never reaches the log, and stamps that version
 * in the metadata. Every read (streams, the global log, subscriptions) hands out events in their
 * type's current shape, whatever release wrote them, with the current version in the metadata:
 * deciders, projections, agents, time travel and history only ever see current shapes.
 *
 * Event types the ledger does not declare (written by other tools) are appended and read as they are.
 */
export class VersionedEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly versioning: EventVersioning,
  ) {}

  async append(streamName: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.inner.append(streamName, events.map((event) => this.checked(event)), expected);
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.current(await this.inner.readStream(streamName, options));
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.current(await this.inner.readAll(options));
  }

  headPosition(): Promise<bigint | null> {
    return this.inner.headPosition();
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll({ ...options, onBatch: (events) => options.onBatch(this.current(events)) });
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private checked(event: EventToAppend): EventToAppend {
    const schema = this.versioning.schemas.get(event.type);
    if (!schema) return event;
    const parsed = schema.safeParse(event.data);
    if (!parsed.success) throw new InvalidEventError(event.type, parsed.error.issues);
    // The data is stored as written: the schema checks it, it does not rewrite it.
    return { ...event, metadata: { ...event.metadata, schemaVersion: this.versioning.upcasters.currentVersion(event.type) } };
  }

  private current(events: StoredEvent[]): StoredEvent[] {
    return events.map((event) => this.upcast(event));
  }

  private upcast(event: StoredEvent): StoredEvent {
    const { schemas, upcasters } = this.versioning;
    if (!schemas.has(event.type) && !upcasters.hasUpcasters(event.type)) return event;
    const current = upcasters.currentVersion(event.type);
    const stamped = event.metadata.schemaVersion;
    // Most events are current: they are handed out as read, with no copy.
    if (stamped === current) return event;
    // Events from before versions were stamped (or from other writers) are of the first version.
    const version = stamped === undefined ? FIRST_SCHEMA_VERSION : stamped;
    if (typeof version !== 'number') throw new UnknownSchemaVersionError(event.type, version, current);
    return { ...event, data: upcasters.upcast(event.type, version, event.data), metadata: { ...event.metadata, schemaVersion: current } };
  }
}
