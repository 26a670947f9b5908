import type { ReadCollection } from '../../readstore/port.js';

const SHORTEST_COMMIT = 7;
const MATCH_LIMIT = 20;

/**
 * Builds requested at `commit`. A build may name its commit by a prefix of the full hash a CI
 * system reports (7 to 40 hex characters), in either case, so every prefix is a candidate.
 */
export async function buildsAtCommit(builds: ReadCollection, commit: string): Promise<string[]> {
  const candidates = new Set<string>();
  for (let length = SHORTEST_COMMIT; length <= commit.length; length++) {
    candidates.add(commit.slice(0, length).toLowerCase());
    candidates.add(commit.slice(0, length).toUpperCase());
  }
  const docs = await builds.find({ commit: { $in: [...candidates] } }, { sort: [['id', 1]], limit: MATCH_LIMIT });
  return docs.map((doc) => doc.id);
}
