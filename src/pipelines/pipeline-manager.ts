import type { Logger } from 'pino';
import type { CommandBus } from '../commands/command-bus.js';
import { KeyedLock } from '../commands/keyed-lock.js';
import { parseStreamName, streamName } from '../events/stream-names.js';
import type { EventStore, StoredEvent } from '../eventstore/port.js';
import { decodeEvent, eventTypesOf, isEventOfType } from '../events/typed-events.js';
import type { WorkBulkhead } from '../resilience/index.js';
import type { AgentActor } from '../agents/agent-actor.js';
import type { Reactor } from '../agents/reactor.js';
import { nextStep } from './next-step.js';
import { PipelineCommands } from './pipeline-commands.js';
import { performStep, type StepDeps } from './pipeline-steps.js';
import { loadPipelineView } from './pipeline-view.js';

// A run takes about twenty steps; more means the policy is going round in circles.
const MAX_STEPS_PER_RECONCILE = 60;

export interface PipelineManagerOptions {
  /** Ids of runs that may still need a step: swept at start and then periodically. */
  runningPipelines?: () => Promise<string[]>;
  sweepIntervalMs?: number;
  bulkhead: WorkBulkhead;
  clock?: () => number;
  logger?: Logger;
}

/**
 * The pipeline process manager. It holds no state of its own: on any event of a pipeline, of
 * its build or of its deployments, it reads the run from the event store, asks `nextStep` what
 * to do, does it, and repeats until the run has to wait. Waiting ends with a new event (a result
 * recorded through the API), with a timer (a traffic step's bake time), or with the periodic
 * sweep of running pipelines, which also picks every run up again after a restart.
 */
export class PipelineManager implements Reactor {
  readonly name: string;
  private readonly lock = new KeyedLock();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly deps: StepDeps;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private stopped = false;

  constructor(
    private readonly events: EventStore,
    commands: CommandBus,
    actor: AgentActor,
    private readonly options: PipelineManagerOptions,
  ) {
    this.name = actor.actor;
    this.deps = { events, commands, pipelines: new PipelineCommands(commands), actor };
  }

  /** Every event of a pipeline, of a build or of a deployment may let a run take its next step. */
  readonly canHandle = [...eventTypesOf('pipeline'), ...eventTypesOf('build'), ...eventTypesOf('deployment')];

  async react(event: StoredEvent): Promise<void> {
    const id = await this.pipelineOf(event);
    if (id !== null) await this.reconcile(id);
  }

  async start(): Promise<void> {
    this.stopped = false;
    void this.sweep();
    const interval = this.options.sweepIntervalMs ?? 1000;
    this.sweepTimer = setInterval(() => void this.sweep(), interval);
    this.sweepTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** Takes every step the run can take now; schedules a wake-up when it must wait for time. */
  async reconcile(id: string): Promise<void> {
    await this.lock.run(id, async () => {
      for (let steps = 0; steps < MAX_STEPS_PER_RECONCILE && !this.stopped; steps++) {
        const view = await loadPipelineView(this.events, id);
        const step = nextStep(view, this.now());
        if (step.kind === 'finished') return;
        if (step.kind === 'wait') {
          if (step.until !== null) this.wakeAt(id, step.until);
          return;
        }
        if ((await performStep(this.deps, view, step)) === 'blocked') return;
      }
      if (!this.stopped) throw new Error(`pipeline ${id} took more than ${MAX_STEPS_PER_RECONCILE} steps without settling`);
    });
  }

  /**
   * Which run an event concerns. A pipeline's build shares its id; a deployment names its build
   * in its first event. Events of builds and deployments outside any pipeline lead to an id with
   * no pipeline stream, which the next step reads as finished.
   */
  private async pipelineOf(event: StoredEvent): Promise<string | null> {
    const { aggregateType, id } = parseStreamName(event.streamName);
    if (aggregateType === 'pipeline' || aggregateType === 'build') return id;
    const [first] = await this.events.readStream(streamName('deployment', id), { maxCount: 1 });
    const started = first ? decodeEvent(first) : null;
    return started && isEventOfType(started, 'DeploymentStarted') ? started.data.buildId : null;
  }

  private wakeAt(id: string, at: number): void {
    if (this.stopped) return;
    const existing = this.timers.get(id);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(() => {
      this.timers.delete(id);
      this.wake(id);
    }, Math.max(0, at - this.now()));
    timer.unref();
    this.timers.set(id, timer);
  }

  private wake(id: string): void {
    if (this.stopped) return;
    this.options.bulkhead.run(() => this.reconcile(id)).catch((error: unknown) => {
      // The sweep comes back to it; a backend outage must not end the run.
      this.options.logger?.warn({ pipeline: id, err: error }, 'pipeline step failed; the sweep will retry');
    });
  }

  private async sweep(): Promise<void> {
    if (this.sweeping || this.stopped || !this.options.runningPipelines) return;
    this.sweeping = true;
    try {
      for (const id of await this.options.runningPipelines()) this.wake(id);
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'pipeline sweep failed; trying again at the next interval');
    } finally {
      this.sweeping = false;
    }
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }
}
