import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentActor } from '../../src/agents/agent-actor.js';
import { testCasesFor, testingEngineerAgent } from '../../src/agents/testing-engineer.js';
import type { TypedReactor } from '../../src/agents/reactor.js';
import { temporaryStores } from '../resilience/support/stores.js';
import { ledger } from './support/ledger.js';

let stores: ReturnType<typeof temporaryStores>;
let book: ReturnType<typeof ledger>;
let agent: TypedReactor;
beforeEach(() => {
  stores = temporaryStores();
  book = ledger(stores.events);
  agent = testingEngineerAgent(new AgentActor('agent:testing-engineer', book.bus), stores.events);
});
afterEach(async () => stores.dispose());

describe('testing-engineer agent', () => {
  it('given a created feature, when it reacts, then the plan has one case per acceptance criterion of the requirement', async () => {
    const requirementId = await book.approvedRequirement(['finds by title', 'finds by author']);
    const featureId = await book.feature(requirementId);
    const [created] = await book.stream(`feature-${featureId}`);

    await agent.react(created!);

    const [plan] = await book.stream(`testplan-${featureId}`);
    expect(plan).toMatchObject({
      type: 'TestCasesGenerated',
      data: {
        featureId,
        requirementId,
        cases: [
          { id: 'TC-1', title: 'Verify: finds by title', criterion: 'finds by title' },
          { id: 'TC-2', title: 'Verify: finds by author', criterion: 'finds by author' },
        ],
      },
    });
  });

  it('acts as agent:testing-engineer, caused by the FeatureCreated event, in its correlation', async () => {
    const requirementId = await book.approvedRequirement(['finds by title']);
    const featureId = await book.feature(requirementId, 'sprint-12');
    const [created] = await book.stream(`feature-${featureId}`);

    await agent.react(created!);

    const [plan] = await book.stream(`testplan-${featureId}`);
    expect(plan!.metadata).toMatchObject({
      actor: 'agent:testing-engineer',
      actorRole: 'agent',
      causationId: created!.id,
      correlationId: 'sprint-12',
      commandType: 'testplan.generate',
    });
    expect(plan!.metadata.commandId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('given the same event again, when it reacts, then nothing more is appended', async () => {
    const requirementId = await book.approvedRequirement(['finds by title']);
    const featureId = await book.feature(requirementId);
    const [created] = await book.stream(`feature-${featureId}`);

    await agent.react(created!);
    await agent.react(created!);

    expect(await book.stream(`testplan-${featureId}`)).toHaveLength(1);
  });

  it('reacts to FeatureCreated only', async () => {
    const requirementId = await book.approvedRequirement(['finds by title']);
    const featureId = await book.feature(requirementId);
    const [captured] = await book.stream(`requirement-${requirementId}`);
    const [created] = await book.stream(`feature-${featureId}`);
    expect(agent.canHandle.includes(created!.type)).toBe(true);
    expect(agent.canHandle.includes(captured!.type)).toBe(false);
  });
});

describe('test cases', () => {
  it('keep each criterion whole and cut long titles to the 200 characters a case title allows', () => {
    const long = 'x'.repeat(300);
    const [testCase] = testCasesFor([long]);
    expect(testCase!.criterion).toBe(long);
    expect(testCase!.title).toHaveLength(200);
    expect(testCase!.title.endsWith('…')).toBe(true);
  });
});
