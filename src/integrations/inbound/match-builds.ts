import type { ReadCollection } from '../../readstore/port.js';

const SHORTEST_COMMIT = 7;
const MATCH_LIMIT = 20;

/**
 * Builds requested at `commit` in `repository`. A build may name its commit by a prefix of the
 * full hash a CI system reports (7 to 40 hex characters), in either case, so every prefix is a
 * candidate. Forks and mirrors share commits, so a build that names its repository (host and
 * path, `github.com/acme/shop`) matches only a report from that repository (CI names it by path,
 * `acme/shop`); a build that names none, or a report that names none, matches by commit alone.
 */
export async function buildsAtCommit(builds: ReadCollection, commit: string, repository: string | null): Promise<string[]> {
  const candidates = new Set<string>();
  for (let length = SHORTEST_COMMIT; length <= commit.length; length++) {
    candidates.add(commit.slice(0, length).toLowerCase());
    candidates.add(commit.slice(0, length).toUpperCase());
  }
  const docs = await builds.find({ commit: { $in: [...candidates] } }, { sort: [['id', 1]], limit: MATCH_LIMIT });
  return docs.filter((doc) => sameRepository(doc.repository, repository)).map((doc) => doc.id);
}

function sameRepository(ofBuild: unknown, reported: string | null): boolean {
  if (typeof ofBuild !== 'string' || reported === null) return true;
  const build = ofBuild.toLowerCase();
  const path = reported.toLowerCase().replace(/^\/+|\/+$/g, '');
  return build === path || build.endsWith(`/${path}`);
}
