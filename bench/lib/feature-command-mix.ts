import type autocannon from 'autocannon';
import type { SeededLedger } from './seed.js';

/**
 * The load of the ledger benchmark: mostly PATCH /api/features/:id on a random seeded feature
 * with random complexityPoints, sometimes POST /api/features. No If-Match, so concurrent updates
 * of one feature meet the server's own conflict retries, as real clients without ETags would.
 */
export function featureCommandMix(seeded: SeededLedger, createShare: number, random: () => number = Math.random): autocannon.RequestSpec {
  let created = 0;
  return {
    setupRequest(request) {
      if (random() < createShare) {
        created += 1;
        return {
          ...request,
          method: 'POST',
          path: '/api/features',
          body: JSON.stringify({
            requirementId: seeded.requirementId,
            name: `Load feature ${created}`,
            complexityPoints: randomPoints(random),
            developer: 'developer-load',
          }),
        };
      }
      const featureId = seeded.featureIds[Math.floor(random() * seeded.featureIds.length)]!;
      return {
        ...request,
        method: 'PATCH',
        path: `/api/features/${featureId}`,
        body: JSON.stringify({ complexityPoints: randomPoints(random) }),
      };
    },
  };
}

function randomPoints(random: () => number): number {
  return 1 + Math.floor(random() * 100);
}
