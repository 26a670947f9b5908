import type { Logger } from 'pino';
import type { CommandBus } from '../commands/command-bus.js';
import type { EventStore } from '../eventstore/port.js';
import type { LogFeed } from '../consumer/log-feed.js';
import { SharedLogReader } from '../consumer/shared-log-reader.js';
import type { ReadStore } from '../readstore/port.js';
import type { ProjectionService } from '../projections/projection-service.js';
import { PipelineManager } from '../pipelines/pipeline-manager.js';
import type { WorkBulkhead } from '../resilience/index.js';
import { AgentActor } from '../agents/agent-actor.js';
import { incidentAgent } from '../agents/incident.js';
import type { Reactor } from '../agents/reactor.js';
import { ReactorCheckpoints } from '../agents/reactor-checkpoints.js';
import { ReactorRunner, type ReactorRunnerOptions } from '../agents/reactor-runner.js';
import { testingEngineerAgent } from '../agents/testing-engineer.js';
import { WebhookAgent } from '../integrations/outbound/webhook-agent.js';
import type { WebhookSenderOptions } from '../integrations/outbound/webhook-sender.js';
import { agentLease, type WorkLeases } from '../leases/work-leases.js';

export interface AgentServiceDeps {
  events: EventStore;
  /** The process's one reader of the log, shared with its projections; without, the service makes its own. */
  feed?: LogFeed;
  readStore: ReadStore;
  commands: CommandBus;
  /** Where the pipeline manager finds running pipelines to sweep. */
  projections: ProjectionService;
  /** Bounds the agents' concurrent work (createWorkBulkheads().agents). */
  bulkhead: WorkBulkhead;
  logger?: Logger;
  /** Each agent runs only while this process holds its lease; without, every agent runs here. */
  leases?: WorkLeases;
}

export interface AgentServiceOptions {
  runner?: ReactorRunnerOptions;
  pipelineSweepIntervalMs?: number;
  clock?: () => number;
  webhooks?: WebhookSenderOptions;
}

export interface AgentStatus {
  name: string;
  status: string;
  checkpoint: string | null;
  lastError: string | null;
}

/**
 * The agents of one process, each a reactor with its own checkpoint: the testing engineer, the
 * incident agent and the pipeline manager. (The monitoring agent's work is a read model, the
 * delivery-metrics projection, which runs with the other projections.) They run wherever the
 * projections run: the worker, or the single process of the embedded default. Wiring, so it
 * lives here: the pipeline manager is built on the agents' actor and reactor, and composing them
 * inside src/agents would make the two folders depend on each other.
 */
export class AgentService {
  private readonly runners: ReactorRunner[];

  constructor(
    private readonly deps: AgentServiceDeps,
    options: AgentServiceOptions = {},
  ) {
    const actor = (name: string) => new AgentActor(`agent:${name}`, deps.commands);
    const reactors: Reactor[] = [
      testingEngineerAgent(actor('testing-engineer'), deps.events),
      incidentAgent(actor('incident')),
      new PipelineManager(deps.events, deps.commands, actor('pipeline'), {
        bulkhead: deps.bulkhead,
        sweepIntervalMs: options.pipelineSweepIntervalMs,
        clock: options.clock,
        logger: deps.logger,
        runningPipelines: async () => (await deps.projections.collection('pipelines').find({ status: 'running' }, { limit: 1000 })).map((doc) => doc.id),
      }),
      new WebhookAgent(deps.events, deps.readStore, options.webhooks, deps.logger),
    ];
    const checkpoints = new ReactorCheckpoints(deps.readStore);
    const feed = deps.feed ?? new SharedLogReader(deps.events, { logger: deps.logger });
    const { leases } = deps;
    this.runners = reactors.map((reactor) => {
      const fence = leases ? () => leases.assertHeld(agentLease(reactor.name)) : undefined;
      return new ReactorRunner(feed, checkpoints, reactor, deps.bulkhead, { logger: deps.logger, fence, ...options.runner });
    });
  }

  /** Starts the agents here, or hands them to the leases, which start each one this process wins. */
  async start(): Promise<void> {
    const { leases } = this.deps;
    for (const runner of this.runners) {
      if (leases) leases.add({ name: agentLease(runner.reactor.name), start: () => runner.start(), stop: () => runner.stop() });
      else await runner.start();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  status(): AgentStatus[] {
    return this.runners.map((runner) => ({
      name: runner.reactor.name,
      status: runner.status,
      checkpoint: runner.position === null ? null : runner.position.toString(),
      lastError: runner.lastError,
    }));
  }
}
