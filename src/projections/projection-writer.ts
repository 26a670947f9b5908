import type { Logger } from 'pino';
import type { StoredEvent } from '../eventstore/port.js';
import type { CollectionWrite, ReadCollection, ReadStore } from '../readstore/port.js';
import { writeCollections } from '../readstore/write-collections.js';
import type { Projection } from './projection.js';
import { generationCollection, generationKey, type Generation } from './projection-generation.js';
import type { ProjectionRegistry } from './projection-registry.js';
import { errorMessage, type ParkedEvents } from './projection-parking.js';
import { endSpan, inSpan, linksTo, startEventSpan, tracingOn, type Traced } from '../observability/tracing.js';
import { DocumentReadError, UnitOfWork, type WrittenDocuments } from './unit-of-work.js';
import { RecentDocuments } from './recent-documents.js';

export interface PoisonPolicy {
  /** Attempts per event before it is parked. */
  maxAttempts: number;
  /** Delay before the second attempt; doubled before each further one. */
  retryDelayMs: number;
}

export const DEFAULT_POISON_POLICY: PoisonPolicy = { maxAttempts: 3, retryDelayMs: 20 };

export interface BatchResult {
  /** Events of the batch after the checkpoint that the projection handles, i.e. handed to the handler. */
  applied: number;
  parked: number;
}

/**
 * Writes one generation of one projection: applies batches of events through a unit of work
 * (one bulk write per collection), then moves the generation's checkpoint. Events at or before
 * the checkpoint are skipped, so several generations can share one reader of the log; so are
 * events of types the projection does not handle, which only move the checkpoint. A handler
 * error is retried with backoff, then the event is parked and the batch goes on; a read store
 * failure is not the event's fault and fails the batch instead (it is retried from the checkpoint).
 */
export class ProjectionWriter {
  private _checkpoint: bigint | null = null;
  /** Changes applied but not written yet, and the position they reach. */
  private unit: UnitOfWork | null = null;
  private appliedUpTo: bigint | null = null;
  private written: WrittenDocuments | undefined;
  private fence: (() => Promise<void>) | null = null;
  private readonly stores = new Map<string, ReadCollection>();
  /** How a commit's writes reach the store: on their own, or grouped with other writers' (GroupedWrites). */
  private readonly writeAll: (writes: CollectionWrite[]) => Promise<void>;
  /** The event types the projection handles; null when it handles every event. */
  private readonly handled: ReadonlySet<string> | null;

  constructor(
    private readonly readStore: ReadStore,
    private readonly registry: ProjectionRegistry,
    private readonly parked: ParkedEvents,
    readonly projection: Projection,
    readonly generation: Generation,
    private readonly policy: PoisonPolicy = DEFAULT_POISON_POLICY,
    private readonly logger?: Logger,
    writeAll?: (writes: CollectionWrite[]) => Promise<void>,
  ) {
    this.writeAll = writeAll ?? ((writes) => writeCollections(readStore, writes));
    this.handled = projection.canHandle ? new Set(projection.canHandle) : null;
  }

  get name(): string {
    return this.projection.name;
  }

  get checkpoint(): bigint | null {
    return this._checkpoint;
  }

  collection(logical: string): string {
    return generationCollection(logical, this.generation);
  }

  /** The collection handle, made once per logical name. */
  store(logical: string): ReadCollection {
    let store = this.stores.get(logical);
    if (!store) this.stores.set(logical, (store = this.readStore.collection(this.collection(logical))));
    return store;
  }

  /**
   * Starts the generation over from an empty state: its collections are dropped, so `written`
   * (which only knows what this writer writes) is exact about the rest.
   */
  async startEmpty(written: WrittenDocuments): Promise<void> {
    for (const logical of Object.keys(this.projection.collections)) await this.readStore.dropCollection(this.collection(logical));
    await this.registry.dropCheckpoint(this.name, this.generation);
    this._checkpoint = null;
    this.written = written;
  }

  /**
   * Checked after a batch is applied in memory and before anything is written: it throws when
   * this writer may no longer write (its rebuild was taken over while it was stuck).
   */
  fenceWith(check: () => Promise<void>): void {
    this.fence = check;
  }

  /** Reads the stored checkpoint; the writer goes on from there (unwritten changes are dropped). */
  async load(): Promise<bigint | null> {
    this._checkpoint = (await this.registry.checkpoint(this.name, this.generation))?.position ?? null;
    this.discard();
    return this._checkpoint;
  }

  /** A live generation's writer keeps the documents it wrote last, so it does not read them back. */
  keepRecentDocuments(limit: number): void {
    this.written = new RecentDocuments(limit);
  }

  /** A unit re-applying parked events on this generation, through what this writer remembers. */
  retryUnit(): UnitOfWork {
    return new UnitOfWork((logical) => this.store(logical), { reapply: true, written: this.written });
  }

  /** Documents held by the changes not written yet: what commit() would write, and their reads. */
  get heldDocuments(): number {
    return this.unit?.heldDocuments ?? 0;
  }

  /** Creates the collections without their secondary indexes (a rebuild adds those at the end). */
  async ensureCollections(): Promise<void> {
    for (const logical of Object.keys(this.projection.collections)) await this.readStore.ensureIndexes(this.collection(logical), []);
  }

  /** Creates the collections' indexes, one at a time, calling `between` after each. */
  async ensureIndexes(between?: () => Promise<void>): Promise<void> {
    for (const [logical, indexes] of Object.entries(this.projection.collections)) {
      await this.readStore.ensureIndexes(this.collection(logical), []);
      for (const index of indexes) {
        await this.readStore.ensureIndexes(this.collection(logical), [index]);
        await between?.();
      }
    }
  }

  /**
   * Applies the batch (ordered by position) and saves the checkpoint at `through`: its last
   * event, or further when the reader skipped events of types this projection does not handle.
   */
  async applyBatch(events: StoredEvent[], through?: bigint): Promise<BatchResult> {
    const spans = this.handlingSpans(events);
    if (spans.length === 0) {
      const result = await this.apply(events, through);
      await this.commit();
      return result;
    }
    try {
      const result = await this.apply(events, through);
      // One write for the batch: under the first event's span, linked from the others'.
      await inSpan(`projection ${this.name} read-model write`, () => this.commit(), { parent: spans[0]!.context, links: linksTo(spans.slice(1).map((each) => each.context)) });
      for (const { span } of spans) endSpan(span);
      return result;
    } catch (error) {
      for (const { span } of spans) endSpan(span, error);
      throw error;
    }
  }

  /** A span per event of the batch this projection handles, continuing the trace the event carries. */
  private handlingSpans(events: StoredEvent[]): Traced[] {
    if (!tracingOn()) return [];
    const reached = this.appliedUpTo ?? this._checkpoint;
    const spans: Traced[] = [];
    for (const event of events) {
      if ((reached !== null && event.position <= reached) || (this.handled && !this.handled.has(event.type))) continue;
      const traced = startEventSpan(`projection ${this.name} ${event.type}`, event, { 'agent_ledger.projection': this.name });
      if (traced) spans.push(traced);
    }
    return spans;
  }

  /**
   * Applies the batch in memory, on top of what earlier batches applied since the last commit:
   * a rebuild writes a document touched by many batches (an environment, a build) once.
   */
  async apply(events: StoredEvent[], through = events.at(-1)?.position): Promise<BatchResult> {
    const reached = this.appliedUpTo ?? this._checkpoint;
    if (through === undefined || (reached !== null && through <= reached)) return { applied: 0, parked: 0 };
    const unit = (this.unit ??= new UnitOfWork((logical) => this.store(logical), { written: this.written }));
    let applied = 0;
    let parked = 0;
    try {
      for (const event of events) {
        if (reached !== null && event.position <= reached) continue;
        if (this.handled && !this.handled.has(event.type)) continue;
        applied++;
        if (!(await this.applyWithRetry(unit, event))) parked++;
      }
    } catch (error) {
      this.discard();
      throw error;
    }
    this.appliedUpTo = through;
    return { applied, parked };
  }

  /**
   * Writes what was applied and the checkpoint past it, as one write: atomic on the embedded
   * store, and on the others the checkpoint goes last, so a crash in between replays harmlessly.
   */
  async commit(): Promise<void> {
    if (!this.unit || this.appliedUpTo === null) return;
    const { unit, appliedUpTo } = this;
    // Whatever happens next, the changes are not kept: a failure replays from the checkpoint.
    this.discard();
    await this.fence?.();
    const changes = unit.takeChanges();
    const writes = changes.writes.map(({ logical, ops }) => ({ collection: this.collection(logical), ops }));
    writes.push(this.registry.checkpointWrite(this.name, this.generation, appliedUpTo));
    await this.writeAll(writes);
    changes.stored();
    this._checkpoint = appliedUpTo;
  }

  private discard(): void {
    this.unit = null;
    this.appliedUpTo = null;
  }

  /** True when applied; false when the event was parked. */
  private async applyWithRetry(unit: UnitOfWork, event: StoredEvent): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await unit.apply(this.projection, event);
        return true;
      } catch (error) {
        if (error instanceof DocumentReadError) throw error;
        if (attempt >= this.policy.maxAttempts) {
          this.logger?.error(
            { projection: this.name, generation: generationKey(this.generation), position: event.position.toString(), type: event.type, err: error },
            `event parked after ${attempt} attempts: ${errorMessage(error)}`,
          );
          await this.parked.park(this.name, this.generation, event, error, attempt);
          return false;
        }
        await sleep(this.policy.retryDelayMs * 2 ** (attempt - 1));
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
