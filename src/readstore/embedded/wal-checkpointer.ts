// Copies the read store's write-ahead log back into the database file on a thread of its own.
// SQLite's automatic checkpoint runs inside the commit that crosses the threshold, on the thread
// that commits: here the main thread, which then stops for as long as copying 64 MiB takes (70
// to 90 ms measured under load), delaying every request and read model update queued behind it.
// A PASSIVE checkpoint from another connection runs beside the writers instead: it never takes
// the write lock and never waits for one, and SQLite reuses the log from its start once a
// checkpoint has copied all of it.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

/** How often the thread checkpoints; the log then holds about this long's worth of commits. */
const CHECKPOINT_EVERY_MS = 250;

// Plain CommonJS evaluated in the thread: it only needs better-sqlite3, resolved from here.
const THREAD_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 0 });
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: the next round retries */ } };
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); parentPort.close(); });
`;

export class WalCheckpointer {
  private readonly worker: Worker;

  constructor(file: string) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { file, driver, everyMs: CHECKPOINT_EVERY_MS } });
    // A thread that cannot open the file leaves the log to grow until close: not worth a crash.
    this.worker.on('error', () => undefined);
    this.worker.unref();
  }

  /** Checkpoints once more and ends the thread. */
  async stop(): Promise<void> {
    // Held until it has ended: a process whose last step is closing the store must not exit
    // (with its close still awaited) because the only thing left was an unreferenced thread.
    this.worker.ref();
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('stop');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2_000)))]);
    clearTimeout(timer);
    await this.worker.terminate();
  }
}
