import { describe, expect, it } from 'vitest';
import { KnownDocuments } from '../../src/projections/rebuild/known-documents.js';

describe('known documents (the rebuild Bloom filter)', () => {
  it('never calls a written document absent', () => {
    const known = new KnownDocuments(2 ** 16);
    const ids = Array.from({ length: 5_000 }, (_, i) => `01HZ${String(i).padStart(22, '0')}`);
    for (const id of ids) known.noteWritten('audit', id);
    expect(ids.filter((id) => known.neverWritten('audit', id))).toEqual([]);
  });

  it('calls almost every unwritten document absent, also the same id in another collection', () => {
    const known = new KnownDocuments(2 ** 20);
    for (let i = 0; i < 20_000; i++) known.noteWritten('audit', `id-${i}`);
    let falsePositives = 0;
    for (let i = 0; i < 20_000; i++) if (!known.neverWritten('commands', `id-${i}`)) falsePositives++;
    expect(falsePositives).toBeLessThan(20);
  });

  it('recalls the documents written last as written, deletions as null, and forgets the least recently used', () => {
    const known = new KnownDocuments(2 ** 16, 2);
    known.remember('builds', new Map([['a', { id: 'a', n: 1 }], ['b', null]]));
    expect(known.recall('builds', 'a')).toEqual({ id: 'a', n: 1 });
    known.remember('builds', new Map([['c', { id: 'c', n: 3 }]]));

    expect(known.recall('builds', 'b')).toBeUndefined();
    expect(known.recall('builds', 'a')).toEqual({ id: 'a', n: 1 });
    expect(known.recall('builds', 'c')).toEqual({ id: 'c', n: 3 });
    expect(known.recall('features', 'a')).toBeUndefined();
  });

  it('remembers nothing unless asked to', () => {
    const known = new KnownDocuments(2 ** 16);
    known.remember('builds', new Map([['a', { id: 'a' }]]));
    expect(known.recall('builds', 'a')).toBeUndefined();
  });

  it('refuses a size that is not a power of two', () => {
    expect(() => new KnownDocuments(1000)).toThrow(RangeError);
  });
});
