import { createHash } from 'node:crypto';

/**
 * The command ids that appended to one stream, kept as 32-bit hashes: a few bytes per command, so
 * a snapshot of a long stream stays small. `mayContain` can say yes for an id never seen (two ids
 * sharing a hash, about one in four billion per command); the caller then reads the stream to be
 * sure, so an answer never depends on this set, only the speed of getting it.
 */
export class CommandIdSet {
  private constructor(private readonly hashes: Set<number>) {}

  static empty(): CommandIdSet {
    return new CommandIdSet(new Set());
  }

  /** From `encode`'s output; undefined when it is not a whole number of hashes. */
  static decode(encoded: string): CommandIdSet | undefined {
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.length % 4 !== 0) return undefined;
    const hashes = new Set<number>();
    for (let offset = 0; offset < bytes.length; offset += 4) hashes.add(bytes.readUInt32LE(offset));
    return new CommandIdSet(hashes);
  }

  /** Adding ids only of appended events keeps the set true for every reader sharing it. */
  add(commandId: string): void {
    this.hashes.add(hashOf(commandId));
  }

  mayContain(commandId: string): boolean {
    return this.hashes.has(hashOf(commandId));
  }

  encode(): string {
    const bytes = Buffer.alloc(this.hashes.size * 4);
    let offset = 0;
    for (const hash of this.hashes) offset = bytes.writeUInt32LE(hash, offset);
    return bytes.toString('base64');
  }
}

function hashOf(commandId: string): number {
  return createHash('sha1').update(commandId).digest().readUInt32LE(0);
}
