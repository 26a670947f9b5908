import { describe, expect, it } from 'vitest';
import { readMetadata } from '../../src/events/metadata.js';

describe('readMetadata', () => {
  it('keeps every known field of the right type', () => {
    const full = {
      actor: 'alice', actorRole: 'engineer', commandId: 'C', commandType: 'feature.update', correlationId: 'K',
      causationId: 'X', at: '2026-01-01T00:00:00.000Z', schemaVersion: 1, undoOf: 'U',
    };
    expect(readMetadata(full)).toEqual(full);
  });

  it('drops fields of the wrong type and unknown fields', () => {
    expect(readMetadata({ actor: 42, commandId: 'C', schemaVersion: '1', extra: 'x' })).toEqual({ commandId: 'C' });
  });
});
