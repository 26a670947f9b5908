// The main thread's side of the commit worker: starts the thread, sends it one batch at a time
// and settles each batch with the worker's answer. When the thread dies, whatever it had not
// answered fails as unavailable (it may or may not have committed, as with a lost connection,
// but it is never reported as stored when it is not), and the next batch starts a new thread.
// Until a thread has loaded and opened the file (a fraction of a second), batches are committed
// on this thread's connection by the same transaction, so the first appends do not wait for it.
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { type AppendOutcome, type AppendRequest, type CommitReply, type CommitWorkerData, WORKER_READY } from './commit-protocol.js';
import { type CommitBatch, prepareCommitBatch } from './commit-transaction.js';
import { toEventStoreError, unavailable } from './sqlite-errors.js';

const WORKER_ENTRY = new URL('./commit-worker-entry.mjs', import.meta.url);
/** A thread that dies this many times in a row without committing anything is not restarted. */
const MAX_CONSECUTIVE_CRASHES = 3;

interface InFlight {
  id: number;
  resolve(outcomes: AppendOutcome[]): void;
  reject(error: unknown): void;
}

export class CommitWorker {
  private worker: Worker | null = null;
  /** Settles once the current thread takes batches; `ready` is true from then on. */
  private started: Promise<void> = Promise.resolve();
  private ready = false;
  private readonly commitHere: CommitBatch;
  private inFlight: InFlight | null = null;
  private nextId = 1;
  private consecutiveCrashes = 0;
  private lastCrash: unknown = null;
  private closed = false;

  constructor(
    private readonly file: string,
    /** This thread's connection to the same file, for the batches committed before the thread is ready. */
    db: Database.Database,
  ) {
    this.commitHere = prepareCommitBatch(db);
    this.running();
  }

  /** Resolves once a thread takes batches (starting one if none is running). */
  whenReady(): Promise<void> {
    this.running();
    return this.started;
  }

  /** Commits one batch in one durable transaction; resolves once it is durable. */
  commit(batch: AppendRequest[], recordedAt: string): Promise<AppendOutcome[]> {
    if (this.closed) return Promise.reject(unavailable('the store is closed'));
    if (this.inFlight) return Promise.reject(new Error('one batch at a time: the previous one is not answered yet'));
    if (this.consecutiveCrashes >= MAX_CONSECUTIVE_CRASHES) {
      return Promise.reject(unavailable(`the commit worker keeps failing: ${describe(this.lastCrash)}`, this.lastCrash));
    }
    const worker = this.running();
    if (!this.ready) return this.commitOnThisThread(batch, recordedAt);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.inFlight = { id, resolve, reject };
      // Only a batch in flight keeps the process alive: an idle store must not hold it open.
      worker.ref();
      worker.postMessage({ id, batch, recordedAt });
    });
  }

  /** Ends the thread and waits for it; an unanswered batch fails as unavailable. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Held until it has exited: otherwise a process with nothing else to do would quit mid-close.
    worker.ref();
    if (this.inFlight) await worker.terminate();
    else worker.postMessage('close');
    await exited;
  }

  /** Stops the thread at once, as a crash would. */
  async terminate(): Promise<void> {
    await this.worker?.terminate();
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const workerData: CommitWorkerData = { file: this.file };
    const worker = new Worker(WORKER_ENTRY, { workerData });
    worker.unref();
    this.ready = false;
    this.started = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: CommitReply | typeof WORKER_READY) => {
        if (message !== WORKER_READY) return this.answered(message);
        if (this.worker === worker) this.ready = true;
        resolve();
      });
      worker.once('exit', () => reject(unavailable('the commit worker stopped before it was ready')));
    });
    this.started.catch(() => {});
    worker.on('error', (error) => this.stopped(worker, error));
    worker.on('exit', (code) => this.stopped(worker, new Error(`the commit worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private commitOnThisThread(batch: AppendRequest[], recordedAt: string): Promise<AppendOutcome[]> {
    try {
      return Promise.resolve(this.commitHere(batch, recordedAt));
    } catch (error) {
      return Promise.reject(toEventStoreError(error));
    }
  }

  private answered(reply: CommitReply): void {
    const inFlight = this.inFlight;
    if (!inFlight || inFlight.id !== reply.id) return;
    this.inFlight = null;
    this.worker?.unref();
    this.consecutiveCrashes = 0;
    if (reply.committed) inFlight.resolve(reply.outcomes);
    else inFlight.reject(toEventStoreError(rebuildError(reply.failure.message, reply.failure.code)));
  }

  private stopped(worker: Worker, cause: unknown): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.ready = false;
    const inFlight = this.inFlight;
    this.inFlight = null;
    if (this.closed && !inFlight) return;
    this.consecutiveCrashes++;
    this.lastCrash = cause;
    inFlight?.reject(unavailable(`the commit worker stopped before answering: ${describe(cause)}`, cause));
  }
}

function rebuildError(message: string, code: string | undefined): Error {
  return code === undefined ? new Error(message) : new Database.SqliteError(message, code);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
