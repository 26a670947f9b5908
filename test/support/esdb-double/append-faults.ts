// Test hooks for the ways a real server fails an append it was sent:
// - not_leader: the node is a follower. Nothing is written; Append fails with NOT_FOUND and
//   `exception: not-leader` trailers naming the leader, and BatchAppend fails the whole call with
//   them, so every append pending on that call fails with it;
// - not_ready: the node is starting or shutting down. Nothing is written; Append fails with
//   UNAVAILABLE, BatchAppend answers that append with a "Server Is Not Ready" status;
// - timeout: the write was made but its commit was not acknowledged in time (a slow disk, a lost
//   quorum), so the events are in the log while the client is told Timeout.
export type AppendFault = 'not_leader' | 'not_ready' | 'timeout';

export class AppendFaults {
  private readonly planned: AppendFault[] = [];
  private holding = false;
  private readonly heldAppends: Array<() => void> = [];

  /** The next `count` appends fail this way. */
  failNext(fault: AppendFault, count = 1): void {
    for (let index = 0; index < count; index++) this.planned.push(fault);
  }

  /** Appends received from now on wait unanswered, as for a server waiting on its disk. */
  hold(): void {
    this.holding = true;
  }

  /** Processes the held appends in the order they came, and stops holding. */
  release(): void {
    this.holding = false;
    for (const process of this.heldAppends.splice(0)) process();
  }

  get held(): number {
    return this.heldAppends.length;
  }

  /** Runs `process` now, or once released. */
  admit(process: () => void): void {
    if (this.holding) this.heldAppends.push(process);
    else process();
  }

  /** The fault for the append being processed, if one is planned. */
  take(): AppendFault | undefined {
    return this.planned.shift();
  }
}
