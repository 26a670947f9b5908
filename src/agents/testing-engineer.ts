import type { EventStore } from '../eventstore/port.js';
import { loadAggregate } from '../commands/load-aggregate.js';
import { requirementDecider } from '../domain/requirement/index.js';
import { generateTestCasesSchema, type TestCase } from '../domain/testplan/index.js';
import type { AgentActor } from './agent-actor.js';
import { reactorOf, type TypedReactor } from './reactor.js';

const TITLE_LIMIT = 200;

/**
 * The testing-engineer agent: for every created feature, one test case per acceptance criterion
 * of the feature's requirement (read from the event store), as the plan in `testplan-<featureId>`.
 * The plan is created once; seeing the feature again finds it there and adds nothing.
 */
export function testingEngineerAgent(actor: AgentActor, events: EventStore): TypedReactor {
  return reactorOf(actor.actor, {
    async FeatureCreated(event) {
      const { aggregateId: featureId, data: { requirementId } } = event;
      const requirement = (await loadAggregate(events, requirementDecider, requirementId)).state;
      if (requirement.status === 'none') throw new Error(`feature ${featureId} names requirement ${requirementId}, which does not exist`);
      const data = generateTestCasesSchema.parse({ featureId, requirementId, cases: testCasesFor(requirement.acceptanceCriteria) });
      await actor.issue(event, { aggregateType: 'testplan', id: featureId, command: { type: 'generate', data } });
    },
  });
}

/** One case per criterion, numbered in the requirement's order. */
export function testCasesFor(acceptanceCriteria: readonly string[]): TestCase[] {
  return acceptanceCriteria.map((criterion, index) => ({
    id: `TC-${index + 1}`,
    title: truncate(`Verify: ${criterion}`, TITLE_LIMIT),
    criterion,
  }));
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
