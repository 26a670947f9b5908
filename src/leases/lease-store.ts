import { z } from 'zod';
import type { ReadStore } from '../readstore/port.js';
import { ownerDiedHere } from '../projections/rebuild/rebuild-claims.js';

const LEASES = '_leases';

/**
 * One lease per piece of work (`projection:<name>`, `agent:<name>`): who holds it and until
 * when (epoch ms). Every change is a compare-and-set on the previous (owner, expiresAt), so of
 * two processes racing for an expired lease exactly one wins.
 */
const leaseSchema = z.object({
  id: z.string(),
  // Missing means null: not every store keeps null fields written by $setOnInsert.
  owner: z.string().nullable().default(null),
  expiresAt: z.number(),
});
export type Lease = z.infer<typeof leaseSchema>;

export class LeaseStore {
  constructor(
    private readonly store: ReadStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Takes the lease, or extends it when `owner` holds it already, for `ttlMs` from now. True
   * when `owner` holds it afterwards; false while another owner's lease runs.
   */
  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const leases = this.store.collection(LEASES);
    await leases.update(name, { $setOnInsert: { owner: null, expiresAt: 0 } }, { upsert: true });
    const current = await this.get(name);
    if (!current) return false;
    const now = this.clock();
    const free = current.owner === null || current.owner === owner || current.expiresAt <= now || ownerDiedHere(current.owner);
    if (!free) return false;
    const { matched } = await leases.update(
      name,
      { $set: { owner, expiresAt: now + ttlMs } },
      { where: { owner: current.owner, expiresAt: current.expiresAt } },
    );
    return matched;
  }

  /** Gives the lease up at once (a graceful stop), so another process need not wait for it to expire. */
  async release(name: string, owner: string): Promise<void> {
    await this.store.collection(LEASES).update(name, { $set: { owner: null, expiresAt: 0 } }, { where: { owner } });
  }

  async get(name: string): Promise<Lease | null> {
    const parsed = leaseSchema.safeParse(await this.store.collection(LEASES).get(name));
    return parsed.success ? parsed.data : null;
  }

  /** The owner of each lease that is still running. */
  async holders(): Promise<Map<string, string>> {
    const now = this.clock();
    const docs = await this.store.collection(LEASES).find({ expiresAt: { $gt: now } });
    const holders = new Map<string, string>();
    for (const doc of docs) {
      const parsed = leaseSchema.safeParse(doc);
      if (parsed.success && parsed.data.owner !== null) holders.set(parsed.data.id, parsed.data.owner);
    }
    return holders;
  }
}
