import fc from 'fast-check';
import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { deterministicUlid } from '../../src/agents/deterministic-id.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const at = new Date('2026-03-01T10:00:00.000Z');

describe('deterministic ids', () => {
  it('are ULIDs whose time is the given time', () => {
    const id = deterministicUlid(at, 'agent:incident', 'event-1');
    expect(id).toMatch(ULID);
    expect(decodeTime(id)).toBe(at.getTime());
  });

  it('are the same for the same inputs and differ when any part differs', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), fc.string(), fc.date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true }), (parts, extra, time) => {
        const id = deterministicUlid(time, ...parts);
        expect(id).toMatch(ULID);
        expect(deterministicUlid(time, ...parts)).toBe(id);
        expect(deterministicUlid(time, ...parts, `${extra}!`)).not.toBe(id);
      }),
    );
  });

  it('do not confuse parts that concatenate to the same text', () => {
    expect(deterministicUlid(at, 'ab', 'c')).not.toBe(deterministicUlid(at, 'a', 'bc'));
  });

  it('sort by their time', () => {
    const earlier = deterministicUlid(new Date('2026-01-01T00:00:00Z'), 'zzz');
    const later = deterministicUlid(new Date('2026-01-01T00:00:01Z'), 'aaa');
    expect(earlier < later).toBe(true);
  });
});
