interface Waiter {
  position: bigint;
  resolve(reached: boolean): void;
  timer: NodeJS.Timeout;
}

/** Callers waiting for one projection to reach a log position (?consistentWith=). */
export class PositionWaiters {
  private waiters: Waiter[] = [];

  /** True once `current()` reaches `position`, false after `timeoutMs`. */
  wait(position: bigint, timeoutMs: number, current: () => bigint | null): Promise<boolean> {
    const reached = current();
    if (reached !== null && reached >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        position,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((other) => other !== waiter);
          resolve(false);
        }, timeoutMs),
      };
      waiter.timer.unref();
      this.waiters.push(waiter);
    });
  }

  release(reached: bigint): void {
    const ready = this.waiters.filter((waiter) => waiter.position <= reached);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => waiter.position > reached);
    for (const waiter of ready) {
      clearTimeout(waiter.timer);
      waiter.resolve(true);
    }
  }
}
