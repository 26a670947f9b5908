// Acknowledgement → visible in the read model, from the server's own histogram
// (agent_ledger_read_model_delay_seconds): scraped before and after a load, the difference is
// the load's, and its p99 is read off the buckets (so it is a bucket's upper bound).

/** Cumulative counts per projection, per bucket bound in seconds. */
export type DelayBuckets = Map<string, Map<number, number>>;

export interface ReadModelDelay {
  /** The p99 of the projection that the bench's commands read back (features), in ms. */
  featuresP99Ms: number | null;
  /** The worst p99 over every projection that wrote something, in ms, and which. */
  worstP99Ms: number | null;
  worstProjection: string | null;
  events: number;
}

export async function scrapeDelays(url: string): Promise<DelayBuckets> {
  const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  const buckets: DelayBuckets = new Map();
  for (const line of text.split('\n')) {
    const sample = /^agent_ledger_read_model_delay_seconds_bucket\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!sample) continue;
    const labels = new Map([...sample[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1]!, label[2]!]));
    const projection = labels.get('projection');
    const le = labels.get('le');
    if (!projection || !le) continue;
    let perBound = buckets.get(projection);
    if (!perBound) buckets.set(projection, (perBound = new Map()));
    perBound.set(le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), Number(sample[2]));
  }
  return buckets;
}

export function delayDuring(before: DelayBuckets, after: DelayBuckets): ReadModelDelay {
  let worst: { projection: string; p99: number } | null = null;
  let featuresP99: number | null = null;
  let events = 0;
  for (const [projection, counts] of after) {
    const earlier = before.get(projection);
    const bounds = [...counts.keys()].sort((a, b) => a - b);
    const delta = bounds.map((bound) => (counts.get(bound) ?? 0) - (earlier?.get(bound) ?? 0));
    const total = delta.at(-1) ?? 0;
    if (total === 0) continue;
    events += total;
    const index = delta.findIndex((count) => count >= total * 0.99);
    const p99 = bounds[index]! * 1000;
    if (projection === 'features') featuresP99 = p99;
    if (!worst || p99 > worst.p99) worst = { projection, p99 };
  }
  return { featuresP99Ms: featuresP99, worstP99Ms: worst?.p99 ?? null, worstProjection: worst?.projection ?? null, events };
}
