import type { Doc } from '../../readstore/port.js';
import type { WrittenDocuments } from '../unit-of-work.js';
import { LastWritten, keyOf } from '../last-written.js';

const DEFAULT_BITS = 2 ** 26; // 8 MiB whatever the size of the log
const HASHES = 4;
/**
 * Documents a rebuild keeps as it wrote them: the ones it touches again (a build, an environment,
 * a feature) were mostly written recently, so this spares reading back nearly all of them.
 */
const REMEMBERED_IN_A_REBUILD = 5_000;

/**
 * The documents a build from an empty generation has written, as a fixed-size Bloom filter: a
 * document it has never seen surely does not exist, so the build skips asking the store for it
 * (most documents of a rebuild are new: one audit entry per event). A false positive only costs
 * a read, and memory stays the same however long the log is (about 3·10⁻⁴ false positives at
 * 2.5 million documents). Beside it, the most recently written documents as they were stored,
 * least recently used dropped first, so that a document the build changes again is not read back.
 */
export class KnownDocuments implements WrittenDocuments {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  private readonly remembered: LastWritten;

  /** A filter of `bitCount` bits, remembering the last `rememberedLimit` documents written. */
  constructor(
    bitCount = DEFAULT_BITS,
    rememberedLimit = 0,
  ) {
    this.remembered = new LastWritten(rememberedLimit);
    if (!Number.isInteger(Math.log2(bitCount))) throw new RangeError('the bit count must be a power of two');
    this.bits = new Uint32Array(bitCount / 32);
    this.mask = bitCount - 1;
  }

  /** What a rebuild uses: the default filter, and the documents it wrote last. */
  static forRebuild(): KnownDocuments {
    return new KnownDocuments(DEFAULT_BITS, REMEMBERED_IN_A_REBUILD);
  }

  recall(collection: string, id: string): Doc | null | undefined {
    return this.remembered.recall(collection, id);
  }

  remember(collection: string, docs: Map<string, Doc | null>): void {
    this.remembered.remember(collection, docs);
  }

  neverWritten(collection: string, id: string): boolean {
    const [h1, h2] = hashes(collection, id);
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + i * h2) & this.mask;
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return true;
    }
    return false;
  }

  noteWritten(collection: string, id: string): void {
    const [h1, h2] = hashes(collection, id);
    for (let i = 0; i < HASHES; i++) {
      const bit = (h1 + i * h2) & this.mask;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }
}

/** Two independent 32-bit hashes (FNV-1a and a multiplicative one) for double hashing. */
function hashes(collection: string, id: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  const key = keyOf(collection, id);
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, (b | 1) >>> 0];
}
