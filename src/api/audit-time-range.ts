import type { Filter, ReadCollection } from '../readstore/port.js';
import { shiftInstant } from './schemas.js';

// An entry's `at` is stamped when its command decides, a little before its append commits, so
// time and position agree except within this much clock-to-commit delay (an assumption: a
// command that takes longer than this between deciding and committing is not expected).
const MAX_COMMIT_DELAY_MS = 5_000;

/**
 * Filter for ?from / ?to on the audit timeline. The exact `at` bounds always apply; the window is
 * also narrowed to position (id) bounds, so a page walks the id index instead of sorting every
 * entry of the window. `from` and `to` are UTC instants within years 0000..9999 (instantQuery), so
 * they compare as strings with the stored stamps. The bounds only exclude entries that cannot match:
 * - below: P, the latest-stamped entry before from − delay; anything committed before P was
 *   stamped before P committed, so before from: id > P.id loses nothing.
 * - above: Q, the earliest-stamped entry after to + delay; anything committed after Q was stamped
 *   after Q was (less the delay), so after to: id < Q.id loses nothing.
 */
export async function auditTimeRange(audit: ReadCollection, from?: string, to?: string): Promise<Filter> {
  if (!from && !to) return {};
  const at: Record<string, string> = {};
  const id: Record<string, string> = {};
  if (from) {
    at.$gte = from;
    const before = shiftInstant(from, -MAX_COMMIT_DELAY_MS);
    const [p] = await audit.find({ at: { $lt: before } }, { sort: [['at', -1], ['id', -1]], limit: 1 });
    if (p) id.$gt = p.id;
  }
  if (to) {
    at.$lte = to;
    const after = shiftInstant(to, MAX_COMMIT_DELAY_MS);
    const [q] = await audit.find({ at: { $gt: after } }, { sort: [['at', 1], ['id', 1]], limit: 1 });
    if (q) id.$lt = q.id;
  }
  return Object.keys(id).length > 0 ? { at, id } : { at };
}
