/**
 * A projection is stalled when it is behind the head and its checkpoint has not moved for
 * `stallAfterMs` since it fell behind. Falling behind is timed from when it was first seen
 * behind, so a checkpoint that rested at the head for an hour is not stalled by the next append.
 */
export class StallDetector {
  private readonly behindSince = new Map<string, number>();
  private readonly stalled = new Set<string>();

  constructor(private readonly stallAfterMs: number) {}

  /** Records an observation; `changed` says whether the verdict flipped (worth a log line). */
  observe(name: string, lag: number, checkpointMovedAt: number, now = Date.now()): { stalled: boolean; changed: boolean; sinceMs: number } {
    if (lag <= 0) {
      this.behindSince.delete(name);
      return this.verdict(name, false, 0);
    }
    if (!this.behindSince.has(name)) this.behindSince.set(name, now);
    const quietSince = Math.max(this.behindSince.get(name)!, checkpointMovedAt);
    return this.verdict(name, now - quietSince > this.stallAfterMs, now - quietSince);
  }

  isStalled(name: string): boolean {
    return this.stalled.has(name);
  }

  private verdict(name: string, stalled: boolean, sinceMs: number): { stalled: boolean; changed: boolean; sinceMs: number } {
    const changed = stalled !== this.stalled.has(name);
    if (stalled) this.stalled.add(name);
    else this.stalled.delete(name);
    return { stalled, changed, sinceMs };
  }
}
