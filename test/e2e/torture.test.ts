import { describe, expect, it } from 'vitest';
import { torture } from '../support/torture.js';

// The short version of `npm run torture`: a few SIGKILLs under command load, on the single
// embedded server and on an API with two workers.
describe('crash torture, short', () => {
  it.each([
    ['the single embedded server', 0],
    ['an API with two workers', 2],
  ])('%s: after each of 3 kills, every acknowledged command is in the log once and the read models equal a replay', async (_mode, workers) => {
    const counts = await torture({ kills: 3, workers, connections: 20, loadMs: [300, 1_200] });

    expect(counts.kills).toBe(3);
    expect(counts.acknowledged).toBeGreaterThan(0);
    expect(counts.readModelDocuments).toBeGreaterThan(counts.acknowledged);
    expect({ missing: counts.missing, twice: counts.twice, duplicatedCommands: counts.duplicatedCommands, duplicatedAgentCommands: counts.duplicatedAgentCommands, readModelDifferences: counts.readModelDifferences }).toEqual({
      missing: 0, twice: 0, duplicatedCommands: 0, duplicatedAgentCommands: 0, readModelDifferences: 0,
    });
  }, 180_000);
});
