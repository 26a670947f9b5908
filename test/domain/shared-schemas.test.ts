import { describe, expect, it } from 'vitest';
import { ulidSchema } from '../../src/domain/shared/schemas.js';
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
