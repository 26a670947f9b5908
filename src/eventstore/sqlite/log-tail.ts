// The newest rows of the log, kept in memory so that live subscriptions (one per projection and
// per agent, all reading the same few rows after each commit) take them from here instead of
// each querying the file. Rows rather than parsed events: every subscriber still parses its own
// copy, so none can change what another sees.
import type { EventRow } from './event-rows.js';

const DEFAULT_CAPACITY = 10_000;

export class LogTail {
  /** Consecutive positions, oldest first: the tail never has a gap, so it never hides a row. */
  private rows: EventRow[] = [];

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /**
   * Rows strictly after `after`, at most `maxCount`, when the tail holds the row right after it;
   * null when it does not (the caller reads the file, where other processes' commits also are).
   */
  rowsAfter(after: bigint, maxCount: number): EventRow[] | null {
    const first = this.rows[0];
    if (!first || after < first.position - 1n) return null;
    const start = Number(after - first.position) + 1;
    if (start >= this.rows.length) return null;
    return this.rows.slice(start, maxCount < 0 ? undefined : start + maxCount);
  }

  /** Rows this process just committed, in position order: they are the newest in the log. */
  committed(rows: EventRow[]): void {
    for (const row of rows) {
      // Not next to the tail: another process committed in between. Start again from here.
      if (!this.follows(row)) this.rows = [];
      this.rows.push(row);
    }
    this.trim();
  }

  /** Rows read from the file in position order: kept only where they continue the tail. */
  read(rows: EventRow[]): void {
    const last = this.rows[this.rows.length - 1];
    if (!last) return;
    for (const row of rows) {
      if (row.position <= last.position) continue;
      if (!this.follows(row)) break;
      this.rows.push(row);
    }
    this.trim();
  }

  private follows(row: EventRow): boolean {
    const last = this.rows[this.rows.length - 1];
    return last !== undefined && row.position === last.position + 1n;
  }

  // Trimmed by a quarter at a time, so the array is not shifted on every commit.
  private trim(): void {
    if (this.rows.length > this.capacity * 1.25) this.rows.splice(0, this.rows.length - this.capacity);
  }
}
