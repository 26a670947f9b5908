import { describe, expect, it } from 'vitest';
import { LogTail } from '../../src/eventstore/sqlite/log-tail.js';
import type { EventRow } from '../../src/eventstore/sqlite/event-rows.js';

function rows(from: number, to: number): EventRow[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({
    position: BigInt(from + i),
    stream_name: 'feature-1',
    revision: BigInt(from + i - 1),
    id: `event-${from + i}`,
    type: 'FeatureUpdated',
    data: '{}',
    metadata: '{}',
    recorded_at: '2026-01-01T00:00:00.000Z',
  }));
}

const positions = (held: EventRow[] | null) => held?.map((row) => Number(row.position)) ?? null;

describe('LogTail', () => {
  it('given nothing committed yet, when asked for rows, then it cannot answer', () => {
    expect(new LogTail().rowsAfter(0n, 10)).toBeNull();
  });

  it('given committed rows, when asked from just before them, then it serves them up to the count', () => {
    const tail = new LogTail();
    tail.committed(rows(5, 9));
    expect(positions(tail.rowsAfter(4n, 10))).toEqual([5, 6, 7, 8, 9]);
    expect(positions(tail.rowsAfter(6n, 2))).toEqual([7, 8]);
    expect(positions(tail.rowsAfter(6n, -1))).toEqual([7, 8, 9]);
  });

  it('given a checkpoint before the tail starts, when asked, then it leaves the gap to the file', () => {
    const tail = new LogTail();
    tail.committed(rows(5, 9));
    expect(tail.rowsAfter(3n, 10)).toBeNull();
  });

  it('given a checkpoint at its last row, when asked, then it cannot tell what else the file holds', () => {
    const tail = new LogTail();
    tail.committed(rows(5, 9));
    expect(tail.rowsAfter(9n, 10)).toBeNull();
  });

  it('given another process committed in between, when this one commits, then the tail restarts after the gap', () => {
    const tail = new LogTail();
    tail.committed(rows(1, 3));
    tail.committed(rows(6, 7));
    expect(tail.rowsAfter(3n, 10)).toBeNull();
    expect(positions(tail.rowsAfter(5n, 10))).toEqual([6, 7]);
  });

  it('given rows read from the file, when they continue the tail, then they are kept, overlap and all', () => {
    const tail = new LogTail();
    tail.committed(rows(1, 3));
    tail.read(rows(2, 5));
    expect(positions(tail.rowsAfter(0n, 10))).toEqual([1, 2, 3, 4, 5]);
  });

  it('given rows read from the file, when they do not reach the tail, then they are ignored', () => {
    const tail = new LogTail();
    tail.committed(rows(10, 12));
    tail.read(rows(1, 5));
    tail.read(rows(14, 15));
    expect(positions(tail.rowsAfter(9n, 10))).toEqual([10, 11, 12]);
    expect(tail.rowsAfter(13n, 10)).toBeNull();
  });

  it('given more rows than its capacity, when committed, then the oldest are dropped and only the newest served', () => {
    const tail = new LogTail(4);
    tail.committed(rows(1, 10));
    expect(tail.rowsAfter(0n, 10)).toBeNull();
    expect(positions(tail.rowsAfter(6n, 10))).toEqual([7, 8, 9, 10]);
  });
});
