// Group commit: a durable commit costs one fsync whatever its size, so appends queued while the
// previous transaction is being committed (or within the same turn of the event loop) share the
// next one. The commit worker runs that transaction off the main thread; this side only queues,
// sends one batch at a time and settles every append once its transaction is durable.
import { type AppendResult, WrongExpectedRevisionError } from '../port.js';
import type { AppendOutcome, AppendRequest } from './commit-protocol.js';
import type { CommitWorker } from './commit-worker-client.js';
import type { EventRow } from './event-rows.js';

export type { AppendRequest, SerializedEvent } from './commit-protocol.js';

/** Bounds how long one transaction holds the file's write lock (other processes wait for it). */
const MAX_APPENDS_PER_TRANSACTION = 1_000;

/** An event id is already in the log (ids are unique across all streams). */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly streamName: string,
    options?: { cause?: unknown },
  ) {
    super(`stream ${streamName}: an event with one of these ids is already stored`, options);
    this.name = 'DuplicateEventIdError';
  }
}

interface QueuedAppend {
  request: AppendRequest;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export class GroupCommitWriter {
  private readonly queue: QueuedAppend[] = [];
  private scheduledFlush: NodeJS.Immediate | null = null;
  private flushing: Promise<void> | null = null;
  private transactions = 0;

  constructor(
    private readonly worker: CommitWorker,
    /** Called after each commit with the rows it added, in position order. */
    private readonly onCommitted: (rows: EventRow[]) => void,
  ) {}

  /** Number of committed transactions, to observe how well appends are grouped. */
  get committedTransactions(): number {
    return this.transactions;
  }

  enqueue(request: AppendRequest): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.flushing) this.scheduledFlush ??= setImmediate(() => this.startFlushing());
    });
  }

  /** Resolves once everything queued so far is committed (or failed). */
  async drain(): Promise<void> {
    if (this.scheduledFlush) this.startFlushing();
    while (this.flushing) await this.flushing;
  }

  private startFlushing(): void {
    if (this.scheduledFlush) clearImmediate(this.scheduledFlush);
    this.scheduledFlush = null;
    if (this.flushing) return;
    this.flushing = this.flushAll().finally(() => {
      this.flushing = null;
      // Appends queued while the last batch was settling found a flush still running.
      if (this.queue.length > 0) this.scheduledFlush ??= setImmediate(() => this.startFlushing());
    });
  }

  private async flushAll(): Promise<void> {
    while (this.queue.length > 0) await this.flush(this.queue.splice(0, MAX_APPENDS_PER_TRANSACTION));
  }

  private async flush(batch: QueuedAppend[]): Promise<void> {
    const recordedAt = new Date().toISOString();
    let outcomes: AppendOutcome[];
    try {
      outcomes = await this.worker.commit(
        batch.map((queued) => queued.request),
        recordedAt,
      );
      this.transactions++;
    } catch (error) {
      for (const queued of batch) queued.reject(error);
      return;
    }
    const committed: EventRow[] = [];
    batch.forEach((queued, index) => {
      const outcome = outcomes[index]!;
      const { request } = queued;
      if (outcome.ok) {
        committed.push(...committedRows(request, outcome.firstPosition, outcome.lastRevision, recordedAt));
        queued.resolve({ nextRevision: outcome.lastRevision, position: outcome.firstPosition + BigInt(request.events.length - 1) });
      } else if (outcome.reason === 'wrong-expected-revision') {
        queued.reject(new WrongExpectedRevisionError(request.streamName, request.expected, outcome.actual));
      } else {
        queued.reject(new DuplicateEventIdError(request.streamName, { cause: new Error(outcome.message) }));
      }
    });
    this.onCommitted(committed);
  }
}

/** The rows an append wrote: the worker answers with where they start, the rest is what was sent. */
function committedRows(request: AppendRequest, firstPosition: bigint, lastRevision: number, recordedAt: string): EventRow[] {
  const firstRevision = lastRevision - request.events.length + 1;
  return request.events.map((event, index) => ({
    position: firstPosition + BigInt(index),
    stream_name: request.streamName,
    revision: BigInt(firstRevision + index),
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recorded_at: recordedAt,
  }));
}
