import { describe, expect, it } from 'vitest';
import { multilineText, text, ulidSchema } from '../../src/domain/shared/schemas.js';
import { changeSet } from '../../src/domain/shared/change-set.js';
import { restoreFields } from '../../src/domain/shared/restore-fields.js';

describe('ULID ids', () => {
  it('accept 26 characters of Crockford base 32', () => {
    expect(ulidSchema.safeParse('01ARZ3NDEKTSV4RRFFQ69G5FAV').success).toBe(true);
    expect(ulidSchema.safeParse('7ZZZZZZZZZZZZZZZZZZZZZZZZZ').success).toBe(true);
  });

  it.each(['01ARZ3NDEKTSV4RRFFQ69G5FA', '01ARZ3NDEKTSV4RRFFQ69G5FAVX', '01ARZ3NDEKTSV4RRFFQ69G5FAI', '01ARZ3NDEKTSV4RRFFQ69G5FAL', '01ARZ3NDEKTSV4RRFFQ69G5FAO', '01ARZ3NDEKTSV4RRFFQ69G5FAU'])(
    'refuse %s (wrong length or a letter outside the alphabet)',
    (id) => {
      expect(ulidSchema.safeParse(id).success).toBe(false);
    },
  );
});

describe('change sets', () => {
  it('record the given values and the current values of exactly those fields', () => {
    const current = { name: 'Login', complexityPoints: 5, developer: 'alice' };
    expect(changeSet<typeof current>({ name: 'SSO', developer: undefined }, current)).toEqual({
      changes: { name: 'SSO' },
      previous: { name: 'Login' },
    });
  });
});

describe('restoring fields', () => {
  it('puts back only the named fields and keeps the rest as they are now', () => {
    const before = { status: 'captured', title: 'A', rejectionReason: null as string | null };
    const now = { status: 'rejected', title: 'B', rejectionReason: 'no' as string | null };
    expect(restoreFields(now, before, ['status', 'rejectionReason'])).toEqual({ status: 'captured', title: 'B', rejectionReason: null });
    expect(now.status).toBe('rejected');
  });
});

describe('free text', () => {
  const line = text(1, 200);
  const paragraph = multilineText(10_000);
  it.each([
    ['NUL', 'a\u0000b'],
    ['a newline', 'a\nb'],
    ['a tab', 'a\tb'],
    ['an escape', 'a\u001b[31mb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a right-to-left override', 'invoice\u202Efdp.exe'],
    ['a bidi isolate', 'a\u2066b\u2069'],
    ['a byte order mark', '\uFEFFname'],
  ])('on one line refuses %s', (_case, value) => {
    expect(line.safeParse(value).success).toBe(false);
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['an escape', 'a\u001bb'],
    ['a right-to-left override', 'a\u202Eb'],
  ])('over several lines refuses %s', (_case, value) => {
    expect(paragraph.safeParse(value).success).toBe(false);
  });

  it('over several lines keeps newlines and tabs', () => {
    expect(paragraph.parse('first\n\tsecond\r\n')).toBe('first\n\tsecond\r\n');
  });

  it('keeps letters of every script, marks and emoji, trimmed', () => {
    expect(line.parse('  Überweisung שלום \u200F 名前 🚀 ')).toBe('Überweisung שלום \u200F 名前 🚀');
  });

  it('refuses text that is only blanks', () => {
    expect(line.safeParse('   ').success).toBe(false);
  });
});
