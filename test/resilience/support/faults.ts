import { BackendUnavailableError } from '../../../src/backends/errors.js';

export type FaultKind =
  /** The call fails at once: the backend refused or could not be reached. */
  | 'fail'
  /** The call never answers (until released): a hung connection. */
  | 'hang'
  /** The call takes effect, then the answer is lost: a connection dropped after the write. */
  | 'land_then_fail'
  /** The call takes effect only after `delayMs`, long after its caller gave up waiting. */
  | 'slow';

interface PlannedFault {
  kind: FaultKind;
  remaining: number;
  methods: Set<string> | null;
  delayMs: number;
}

/**
 * Faults for one backend, injected between its adapter and the resilience decorator: fail,
 * hang or drop the next N calls (optionally of some methods only), or take the backend down.
 */
export class Faults {
  /** Calls that reached the adapter wrapper, by method. */
  readonly calls = new Map<string, number>();
  private planned: PlannedFault[] = [];
  private down = false;
  private readonly hung: Array<(error: Error) => void> = [];
  private readonly dropListeners = new Set<(error: Error) => void>();

  constructor(readonly backend: string) {}

  failNext(count: number, methods?: string[]): this {
    return this.plan('fail', count, methods);
  }

  hangNext(count: number, methods?: string[]): this {
    return this.plan('hang', count, methods);
  }

  landThenFailNext(count: number, methods?: string[]): this {
    return this.plan('land_then_fail', count, methods);
  }

  slowNext(count: number, delayMs: number, methods?: string[]): this {
    return this.plan('slow', count, methods, delayMs);
  }

  /** Every call fails and every open subscription is dropped until `restore()`. */
  takeDown(): void {
    this.down = true;
    this.dropSubscriptions();
  }

  restore(): void {
    this.down = false;
    this.planned = [];
    const error = this.unavailable('the hung call was abandoned');
    for (const reject of this.hung.splice(0)) reject(error);
  }

  get isDown(): boolean {
    return this.down;
  }

  /** Ends every open subscription with an error, as a dropped connection does. */
  dropSubscriptions(): void {
    const error = this.unavailable('connection dropped');
    for (const drop of [...this.dropListeners]) drop(error);
  }

  onDrop(listener: (error: Error) => void): () => void {
    this.dropListeners.add(listener);
    return () => this.dropListeners.delete(listener);
  }

  count(method: string): number {
    return this.calls.get(method) ?? 0;
  }

  totalCalls(): number {
    return [...this.calls.values()].reduce((sum, n) => sum + n, 0);
  }

  async around<T>(method: string, call: () => Promise<T>): Promise<T> {
    this.calls.set(method, this.count(method) + 1);
    if (this.down) throw this.unavailable('connection refused');
    const fault = this.take(method);
    switch (fault?.kind) {
      case undefined:
        return call();
      case 'fail':
        throw this.unavailable(`injected failure of ${method}`);
      case 'hang':
        return new Promise<T>((_resolve, reject) => this.hung.push(reject));
      case 'land_then_fail':
        await call();
        throw this.unavailable(`connection dropped after ${method} was sent`);
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
        return call();
    }
  }

  private plan(kind: FaultKind, count: number, methods?: string[], delayMs = 0): this {
    this.planned.push({ kind, remaining: count, methods: methods ? new Set(methods) : null, delayMs });
    return this;
  }

  private take(method: string): PlannedFault | undefined {
    const fault = this.planned.find((candidate) => candidate.remaining > 0 && (candidate.methods === null || candidate.methods.has(method)));
    if (fault) fault.remaining -= 1;
    this.planned = this.planned.filter((candidate) => candidate.remaining > 0);
    return fault;
  }

  private unavailable(message: string): BackendUnavailableError {
    return new BackendUnavailableError(this.backend, message);
  }
}
