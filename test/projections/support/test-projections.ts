import { positionKey } from '../../../src/events/positions.js';
import type { Projection } from '../../../src/projections/projection.js';

/** One document per event applied, keyed by position, counting how often it was applied. */
export function recordingProjection(name = 'recorder', version = 1): Projection {
  return {
    name,
    version,
    collections: { [`${name}_applied`]: [{ fields: [['type', 1], ['id', 1]] }] },
    async apply(event, context) {
      await context.update(`${name}_applied`, positionKey(event.position), (doc) => ({
        id: positionKey(event.position),
        type: event.type,
        stream: event.streamName,
        applications: ((doc?.applications as number | undefined) ?? 0) + 1,
      }));
    },
  };
}

/** Counts events per stream category; `version` changes nothing but the physical names. */
export function countingProjection(name = 'counter', version = 1): Projection {
  return {
    name,
    version,
    collections: { [`${name}_counts`]: [{ fields: [['count', 1], ['id', 1]] }] },
    async apply(event, context) {
      const category = event.streamName.split('-')[0]!;
      await context.update(`${name}_counts`, category, (doc) => ({ id: category, count: ((doc?.count as number | undefined) ?? 0) + 1 }));
    },
  };
}

/**
 * Totals per category, written in two steps so a half-applied event would show; the handler
 * throws for events whose data `n` is in `poison` (after the first write).
 */
export function poisonableProjection(poison: Set<number>, name = 'ledger'): Projection & { attempts: Map<number, number> } {
  const attempts = new Map<number, number>();
  return {
    name,
    version: 1,
    collections: { [`${name}_totals`]: [] },
    attempts,
    async apply(event, context) {
      const n = (event.data as { n: number }).n;
      await context.update(`${name}_totals`, 'all', (doc) => ({ id: 'all', sum: ((doc?.sum as number | undefined) ?? 0) + n }));
      if (poison.has(n)) {
        attempts.set(n, (attempts.get(n) ?? 0) + 1);
        throw new Error(`cannot handle ${n}`);
      }
      await context.update(`${name}_totals`, 'count', (doc) => ({ id: 'count', events: ((doc?.events as number | undefined) ?? 0) + 1 }));
    },
  };
}
