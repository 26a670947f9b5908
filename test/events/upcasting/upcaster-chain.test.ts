import { describe, expect, it } from 'vitest';
import { UnknownSchemaVersionError, UpcasterChain } from '../../../src/events/upcasting/upcaster-chain.js';
import { parcelUpcasters } from './parcel-chain.js';

describe('an upcaster chain', () => {
  const chain = new UpcasterChain(parcelUpcasters);

  it('counts versions from 1, one more per upcaster; a type without upcasters is at version 1', () => {
    expect(chain.currentVersion('ParcelWeighed')).toBe(3);
    expect(chain.currentVersion('SomethingElse')).toBe(1);
  });

  it('given v1 data, then each step applies in turn up to the current version', () => {
    expect(chain.upcast('ParcelWeighed', 1, { weight: 2 })).toEqual({ grams: 2000 });
  });

  it('given v2 data, then only the later steps apply', () => {
    expect(chain.upcast('ParcelWeighed', 2, { weight: 250, unit: 'g' })).toEqual({ grams: 250 });
  });

  it('given current data, then it comes back as it is', () => {
    const data = { grams: 5 };
    expect(chain.upcast('ParcelWeighed', 3, data)).toBe(data);
  });

  it('given a version from a newer release, then a clear error names the type, the version and what this release reads', () => {
    expect(() => chain.upcast('ParcelWeighed', 4, { grams: 1 })).toThrow(UnknownSchemaVersionError);
    expect(() => chain.upcast('ParcelWeighed', 4, { grams: 1 })).toThrow('ParcelWeighed has schema version 4, but this release reads versions 1 to 3 only');
    expect(() => chain.upcast('SomethingElse', 2, {})).toThrow('SomethingElse has schema version 2, but this release reads versions 1 to 1 only');
  });

  it('given a version that cannot exist, then the same error', () => {
    for (const version of [0, -1, 1.5]) expect(() => chain.upcast('ParcelWeighed', version, {})).toThrow(UnknownSchemaVersionError);
  });

  it('takes its upcasters in any order', () => {
    expect(new UpcasterChain([...parcelUpcasters].reverse()).upcast('ParcelWeighed', 1, { weight: 1 })).toEqual({ grams: 1000 });
  });

  it('refuses a gap or a duplicate in a type history', () => {
    const [first, second] = parcelUpcasters as [(typeof parcelUpcasters)[0], (typeof parcelUpcasters)[0]];
    expect(() => new UpcasterChain([second])).toThrow(/ParcelWeighed must start at version 1.*found 2/);
    expect(() => new UpcasterChain([first, first])).toThrow(/found 1, 1/);
  });
});
