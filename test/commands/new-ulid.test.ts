import { describe, expect, it } from 'vitest';
import { decodeTime, isValid } from 'ulid';
import { newUlid } from '../../src/commands/new-ulid.js';

describe('newUlid', () => {
  it('given a time, when an id is made, then it is a valid ULID that decodes to that time', () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const id = newUlid(at);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(isValid(id)).toBe(true);
    expect(decodeTime(id)).toBe(at);
  });

  it('given many ids in the same millisecond, when made across pool refills, then none repeats', () => {
    const at = Date.now();
    const ids = new Set(Array.from({ length: 5_000 }, () => newUlid(at)));
    expect(ids.size).toBe(5_000);
  });

  it('given many ids, when their random part is tallied, then every base32 character appears at each position', () => {
    const seen = Array.from({ length: 16 }, () => new Set<string>());
    for (let i = 0; i < 2_000; i++) {
      const random = newUlid().slice(10);
      [...random].forEach((char, position) => seen[position]!.add(char));
    }
    expect(seen.map((chars) => chars.size)).toEqual(Array(16).fill(32));
  });
});
