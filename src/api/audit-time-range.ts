import type { Filter, ReadCollection } from '../readstore/port.js';

// Entries are appended in log order and stamped with their command's clock, so time and position
// agree except for commands committing concurrently. A window of this size absorbs that skew.
const CLOCK_SKEW_MS = 5_000;

/**
 * Filter for ?from / ?to on the audit timeline. The exact `at` bounds are kept, and the window is
 * also mapped to position (id) bounds found with the `at` index, so the page is read by walking
 * the id index backwards instead of sorting every entry in the window.
 */
export async function auditTimeRange(audit: ReadCollection, from?: string, to?: string): Promise<Filter> {
  if (!from && !to) return {};
  const at: Record<string, string> = {};
  const id: Record<string, string> = {};
  if (from) {
    at.$gte = new Date(from).toISOString();
    const [first] = await audit.find({ at: { $gte: new Date(Date.parse(from) - CLOCK_SKEW_MS).toISOString() } }, { sort: [['at', 1], ['id', 1]], limit: 1 });
    if (first) id.$gte = first.id;
  }
  if (to) {
    at.$lte = new Date(to).toISOString();
    const [last] = await audit.find({ at: { $lte: new Date(Date.parse(to) + CLOCK_SKEW_MS).toISOString() } }, { sort: [['at', -1], ['id', -1]], limit: 1 });
    if (last) id.$lte = last.id;
  }
  return Object.keys(id).length > 0 ? { at, id } : { at };
}
