import type { Logger } from 'pino';
import { ownerId } from '../projections/rebuild/rebuild-claims.js';
import type { LeaseStore } from './lease-store.js';

/** Work that runs in one process at a time: started when its lease is won, stopped when lost. */
export interface LeasedWork {
  /** The lease's name, e.g. `projection:features`. */
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface WorkLeaseOptions {
  /** How long a lease lasts without a heartbeat: a killed holder's work moves after this (default 5 s). */
  ttlMs?: number;
  /** How often leases are renewed and free ones tried (default 1 s). */
  heartbeatMs?: number;
  logger?: Logger;
  clock?: () => number;
}

/** The lease of a piece of work was lost (taken over, or not renewed in time): stop writing. */
export class LostLeaseError extends Error {
  constructor(readonly lease: string) {
    super(`the lease ${lease} is no longer held by this process`);
    this.name = 'LostLeaseError';
  }
}

/**
 * The leases of one process: every heartbeat it renews the leases it holds and tries the free
 * ones, starting the work of each lease it wins and stopping the work of each it loses. The
 * process believes it holds a lease only until its last renewal's start plus the TTL, less one
 * heartbeat: always before the stored expiry another process waits for, so two holders never
 * write at once as long as clocks agree to within a heartbeat.
 */
export class WorkLeases {
  readonly owner = ownerId();
  private readonly work = new Map<string, LeasedWork>();
  /** Lease name → until when this process may act on it (epoch ms, local clock). */
  private readonly heldUntil = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly heartbeatMs: number;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly store: LeaseStore,
    private readonly options: WorkLeaseOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5_000;
    this.heartbeatMs = options.heartbeatMs ?? 1_000;
    this.clock = options.clock ?? Date.now;
    if (this.heartbeatMs * 2 >= this.ttlMs) throw new Error('the lease heartbeat must be well under its TTL');
  }

  add(work: LeasedWork): void {
    this.work.set(work.name, work);
  }

  /** Takes what leases it can (starting their work), then keeps beating. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.beat();
    this.schedule();
  }

  holds(name: string): boolean {
    const until = this.heldUntil.get(name);
    return until !== undefined && this.clock() < until;
  }

  /** Throws LostLeaseError unless the lease is held: the fence before each write. */
  assertHeld(name: string): void {
    if (!this.holds(name)) throw new LostLeaseError(name);
  }

  /** Stops the work held here and gives its leases up, so another process takes them at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round;
    for (const name of [...this.heldUntil.keys()]) {
      this.heldUntil.delete(name);
      await this.stopWork(name);
      await this.store.release(name, this.owner).catch((error: unknown) => this.options.logger?.warn({ lease: name, err: error }, 'could not release a lease; it expires on its own'));
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.beat().finally(() => this.schedule());
    }, this.heartbeatMs);
    this.timer.unref();
  }

  /** One heartbeat: renews the leases held, tries the free ones (start() repeats it). */
  async beat(): Promise<void> {
    for (const name of this.work.keys()) {
      if (this.stopped) return;
      await this.beatOne(name);
    }
  }

  private async beatOne(name: string): Promise<void> {
    const startedAt = this.clock();
    let won: boolean;
    try {
      won = await this.store.acquire(name, this.owner, this.ttlMs);
    } catch (error) {
      // The store is down: the lease may still be ours until it runs out, and not beyond.
      this.options.logger?.warn({ lease: name, err: error }, 'could not renew a lease');
      if (this.heldUntil.has(name) && !this.holds(name)) await this.lose(name);
      return;
    }
    const wasHeld = this.heldUntil.has(name);
    if (!won) {
      if (wasHeld) await this.lose(name);
      return;
    }
    this.heldUntil.set(name, startedAt + this.ttlMs - this.heartbeatMs);
    if (wasHeld) return;
    this.options.logger?.info({ lease: name, owner: this.owner }, 'lease taken: starting its work here');
    try {
      await this.work.get(name)!.start();
    } catch (error) {
      // Let another process (or the next beat) try: holding a lease with no work running would stall it.
      this.options.logger?.error({ lease: name, err: error }, 'starting leased work failed; letting the lease go');
      this.heldUntil.delete(name);
      await this.stopWork(name);
      await this.store.release(name, this.owner).catch(() => undefined);
    }
  }

  private async lose(name: string): Promise<void> {
    this.heldUntil.delete(name);
    this.options.logger?.warn({ lease: name, owner: this.owner }, 'lease lost: stopping its work here');
    await this.stopWork(name);
  }

  private async stopWork(name: string): Promise<void> {
    await this.work
      .get(name)
      ?.stop()
      .catch((error: unknown) => this.options.logger?.warn({ lease: name, err: error }, 'stopping leased work failed'));
  }
}

export function projectionLease(name: string): string {
  return `projection:${name}`;
}

export function agentLease(name: string): string {
  return `agent:${name}`;
}
