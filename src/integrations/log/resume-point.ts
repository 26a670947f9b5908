import { closeSync, openSync, readSync, statSync, truncateSync } from 'node:fs';
import { logRecordSchema } from './log-record.js';

/**
 * Where a partial export stopped: the position of its last complete line. The file is cut back to
 * the end of that line, so a line half-written by the interruption does not stay in the middle.
 */
export function resumePoint(file: string): bigint | null {
  const size = statSync(file).size;
  const length = Math.min(size, 1024 * 1024);
  const start = size - length;
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(length);
  try {
    readSync(fd, buffer, 0, length, start);
  } finally {
    closeSync(fd);
  }
  let end = buffer.lastIndexOf(0x0a);
  while (end >= 0) {
    const begin = buffer.lastIndexOf(0x0a, end - 1) + 1;
    try {
      const position = BigInt(logRecordSchema.parse(JSON.parse(buffer.subarray(begin, end).toString('utf8'))).position);
      truncateSync(file, start + end + 1);
      return position;
    } catch {
      end = begin - 1;
    }
  }
  truncateSync(file, 0);
  return null;
}
