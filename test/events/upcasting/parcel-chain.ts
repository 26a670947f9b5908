import { z } from 'zod';
import { UpcasterChain } from '../../../src/events/upcasting/upcaster-chain.js';
import type { Upcaster } from '../../../src/events/upcasting/upcaster.js';
import type { EventVersioning } from '../../../src/events/upcasting/versioned-event-store.js';

// A test-only event type with three schema versions:
// v1 { weight }  →  v2 { weight, unit: 'kg' }  →  v3 { grams }.
export const parcelWeighedV3 = z.object({ grams: z.number().int().min(0) });

export const parcelUpcasters: Upcaster[] = [
  { eventType: 'ParcelWeighed', fromVersion: 1, upcast: (data) => ({ ...(data as { weight: number }), unit: 'kg' }) },
  {
    eventType: 'ParcelWeighed',
    fromVersion: 2,
    upcast: (data) => {
      const { weight, unit } = data as { weight: number; unit: 'kg' | 'g' };
      return { grams: unit === 'kg' ? weight * 1000 : weight };
    },
  },
];

export const parcelVersioning: EventVersioning = {
  schemas: new Map([['ParcelWeighed', parcelWeighedV3]]),
  upcasters: new UpcasterChain(parcelUpcasters),
};
