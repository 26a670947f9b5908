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

  it('refuses a size that is not a power of two', () => {
    expect(() => new KnownDocuments(1000)).toThrow(RangeError);
  });
});
