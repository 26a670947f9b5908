import type { EventStore } from '../eventstore/port.js';
import type { Decider, DomainEvent } from '../domain/decider.js';
import * as requirement from '../domain/requirement/index.js';
import * as feature from '../domain/feature/index.js';
import * as build from '../domain/build/index.js';
import * as deployment from '../domain/deployment/index.js';
import * as incident from '../domain/incident/index.js';
import * as testplan from '../domain/testplan/index.js';
import * as pipeline from '../domain/pipeline/index.js';
import { loadDeploymentStartFacts, reserveEnvironment, type DeploymentStartFacts } from './facts/deployment-facts.js';
import type { EventMetadata } from '../events/metadata.js';
import { loadAggregate, type LoadedAggregate } from './load-aggregate.js';
import { revertFacts } from './facts/revert-facts.js';

/** A command as the pipeline receives it: validated payload, typed by its aggregate's decider. */
export interface AnyCommand {
  type: string;
  data: unknown;
}

type AnyDecider = Decider<any, any, DomainEvent, any>;

/** How the pipeline runs one aggregate's commands, and how it undoes them. */
export interface AggregateHandler {
  decider: AnyDecider;
  /** Command types that create the aggregate (they run on a missing stream). */
  creates: readonly string[];
  /**
   * Commands with the same key run one at a time in this process: a rule that spans aggregates
   * (one deployment in progress per environment) cannot be guarded by one stream's revision.
   */
  serializeBy?(command: AnyCommand): string | undefined;
  /** Facts about other aggregates, read from the event store (never from read models). */
  loadFacts(events: EventStore, command: AnyCommand, loaded: LoadedAggregate<any>): Promise<unknown>;
  /**
   * Runs after the decision and before its events are appended; a WrongExpectedRevisionError
   * makes the command decide again. Deployment starts reserve their environment here.
   */
  beforeAppend?(events: EventStore, command: AnyCommand, id: string, facts: unknown, metadata: EventMetadata): Promise<void>;
  touchedFields(event: DomainEvent): string[];
  compensate(events: DomainEvent[], stateBefore: any, stateNow: any): DomainEvent[];
}

const noFacts = async () => undefined;

/** Facts of a command that builds on a feature (a build request, a pipeline start): its state. */
function featureFactsOn(commandType: string): AggregateHandler['loadFacts'] {
  return async (events, command) => {
    if (command.type !== commandType) return undefined;
    const { featureId } = command.data as { featureId: string };
    return { feature: (await loadAggregate(events, feature.featureDecider, featureId)).state };
  };
}

function revertOr(decider: AnyDecider, other: AggregateHandler['loadFacts'] = noFacts): AggregateHandler['loadFacts'] {
  return async (events, command, loaded) =>
    command.type === 'revert' ? revertFacts(decider, loaded, (command.data as { toRevision: number }).toRevision) : other(events, command, loaded);
}

export const aggregateHandlers: Record<string, AggregateHandler> = {
  requirement: {
    decider: requirement.requirementDecider as AnyDecider,
    creates: ['capture'],
    loadFacts: revertOr(requirement.requirementDecider as AnyDecider),
    touchedFields: requirement.touchedFields as AggregateHandler['touchedFields'],
    compensate: requirement.compensate as AggregateHandler['compensate'],
  },
  feature: {
    decider: feature.featureDecider as AnyDecider,
    creates: ['create'],
    loadFacts: revertOr(feature.featureDecider as AnyDecider, async (events, command) => {
      if (command.type !== 'create') return undefined;
      const { requirementId } = command.data as { requirementId: string };
      return { requirement: (await loadAggregate(events, requirement.requirementDecider, requirementId)).state };
    }),
    touchedFields: feature.touchedFields as AggregateHandler['touchedFields'],
    compensate: feature.compensate as AggregateHandler['compensate'],
  },
  build: {
    decider: build.buildDecider as AnyDecider,
    creates: ['request'],
    loadFacts: featureFactsOn('request'),
    touchedFields: build.touchedFields as AggregateHandler['touchedFields'],
    compensate: build.compensate as AggregateHandler['compensate'],
  },
  deployment: {
    decider: deployment.deploymentDecider as AnyDecider,
    creates: ['start'],
    // Reservations make starts safe across processes; queueing them here saves retries.
    serializeBy: (command) => (command.type === 'start' ? `environment:${(command.data as { environment: string }).environment}` : undefined),
    loadFacts: async (events, command, loaded) =>
      command.type === 'start' ? loadDeploymentStartFacts(events, command.data as { buildId: string; environment: string }, loaded.id) : undefined,
    beforeAppend: async (events, command, id, facts, metadata) => {
      if (command.type !== 'start') return;
      const start = command.data as { buildId: string; environment: string; version: string };
      await reserveEnvironment(events, start, id, facts as DeploymentStartFacts, metadata);
    },
    touchedFields: deployment.touchedFields as AggregateHandler['touchedFields'],
    compensate: deployment.compensate as AggregateHandler['compensate'],
  },
  incident: {
    decider: incident.incidentDecider as AnyDecider,
    creates: ['open'],
    loadFacts: async () => ({}),
    touchedFields: incident.touchedFields as AggregateHandler['touchedFields'],
    compensate: incident.compensate as AggregateHandler['compensate'],
  },
  testplan: {
    decider: testplan.testPlanDecider as AnyDecider,
    creates: ['generate'],
    loadFacts: async () => ({}),
    touchedFields: testplan.touchedFields as AggregateHandler['touchedFields'],
    compensate: testplan.compensate as AggregateHandler['compensate'],
  },
  pipeline: {
    decider: pipeline.pipelineDecider as AnyDecider,
    creates: ['start'],
    loadFacts: featureFactsOn('start'),
    touchedFields: pipeline.touchedFields as AggregateHandler['touchedFields'],
    compensate: pipeline.compensate as AggregateHandler['compensate'],
  },
};
