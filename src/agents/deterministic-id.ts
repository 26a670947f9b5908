import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_CHARS = 16;

/**
 * A ULID-shaped id that is always the same for the same inputs: the time part is `time` (so ids
 * still sort by when their cause happened) and the 80 "random" bits are a SHA-256 of the parts.
 * Reacting to the same event twice thus names the same command and the same aggregate.
 */
export function deterministicUlid(time: Date, ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  // The first 80 bits of the digest, five at a time.
  const bits = BigInt(`0x${digest.subarray(0, 10).toString('hex')}`);
  let random = '';
  for (let shift = (RANDOM_CHARS - 1) * 5; shift >= 0; shift -= 5) random += CROCKFORD[Number((bits >> BigInt(shift)) & 31n)];
  return encodeTime(clampTime(time.getTime()), 10) + random;
}

/** Ids need a valid ULID time even when an event carries no usable timestamp. */
function clampTime(ms: number): number {
  return Number.isFinite(ms) && ms >= 0 ? Math.floor(ms) : 0;
}
