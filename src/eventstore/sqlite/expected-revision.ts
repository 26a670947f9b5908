// The optimistic concurrency rule of an append, shared by every append in a group commit.
import { type ExpectedRevision, WrongExpectedRevisionError } from '../port.js';

export function assertValidExpectedRevision(expected: ExpectedRevision): void {
  if (typeof expected === 'number' && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw new RangeError(`expected revision must be a non-negative integer, got ${expected}`);
  }
  if (typeof expected === 'string' && !['any', 'no_stream', 'stream_exists'].includes(expected)) {
    throw new RangeError(`unknown expected revision '${expected}'`);
  }
}

/** `current` is the stream's last revision, or null when the stream does not exist. */
export function checkExpectedRevision(streamName: string, expected: ExpectedRevision, current: number | null): void {
  const satisfied =
    expected === 'any' ||
    (expected === 'no_stream' && current === null) ||
    (expected === 'stream_exists' && current !== null) ||
    expected === current;
  if (!satisfied) throw new WrongExpectedRevisionError(streamName, expected, current ?? 'no_stream');
}
