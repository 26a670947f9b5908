// `npm run torture [-- --kills 20 --workers 2 --connections 50]`: crash torture, first on the
// single embedded server, then on an API with workers; prints the counts and exits non-zero
// when anything acknowledged was lost or applied twice, or a read model differs from a replay.
import { parseArgs } from 'node:util';
import { torture, type TortureCounts } from '../test/support/torture.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '20' },
    workers: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
  },
});
const kills = Number(values.kills);
const workers = Number(values.workers);
const connections = Number(values.connections);
if (![kills, workers, connections].every((n) => Number.isInteger(n) && n >= 0) || kills < 1 || connections < 1) {
  console.error('usage: npm run torture -- [--kills N>=1] [--workers N>=0] [--connections N>=1]');
  process.exit(2);
}

const results: TortureCounts[] = [];
for (const mode of workers > 0 ? [0, workers] : [0]) {
  results.push(await torture({ kills, workers: mode, connections, loadMs: [300, 2_500], log: (line) => console.log(line) }));
}
console.log(JSON.stringify(results, null, 2));
const failed = results.some((r) => r.missing + r.twice + r.duplicatedCommands + r.duplicatedAgentCommands + r.readModelDifferences > 0);
console.log(failed ? 'TORTURE FAILED: something was lost, applied twice or differs from a replay' : `torture passed: ${results.reduce((n, r) => n + r.kills, 0)} kills, nothing lost or twice`);
process.exit(failed ? 1 : 0);
