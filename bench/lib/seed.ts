import type { LedgerClient } from './ledger-client.js';

export interface SeededLedger {
  requirementId: string;
  featureIds: string[];
}

const SEED_CONCURRENCY = 8;

/** One approved requirement and `featureCount` features of it: the ground the load runs on. */
export async function seedLedger(client: LedgerClient, featureCount: number): Promise<SeededLedger> {
  const requirement = await client.command('POST', '/api/requirements', {
    title: 'Benchmark requirement',
    description: 'Seeded by npm run bench.',
    priority: 'medium',
    acceptanceCriteria: ['features can be created', 'features can be updated'],
  });
  await client.command('POST', `/api/requirements/${requirement.id}/approve`);

  const featureIds: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < featureCount) {
      const index = next++;
      const feature = await client.command('POST', '/api/features', {
        requirementId: requirement.id,
        name: `Seeded feature ${index + 1}`,
        complexityPoints: 1 + (index % 13),
        developer: `developer-${index % 10}`,
      });
      featureIds.push(feature.id);
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  return { requirementId: requirement.id, featureIds };
}
