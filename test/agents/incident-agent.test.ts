import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentActor } from '../../src/agents/agent-actor.js';
import { incidentAgent } from '../../src/agents/incident.js';
import type { TypedReactor } from '../../src/agents/reactor.js';
import type { StoredEvent } from '../../src/eventstore/port.js';
import { temporaryStores } from '../resilience/support/stores.js';
import { ledger } from './support/ledger.js';

let stores: ReturnType<typeof temporaryStores>;
let book: ReturnType<typeof ledger>;
let agent: TypedReactor;
beforeEach(() => {
  stores = temporaryStores();
  book = ledger(stores.events);
  agent = incidentAgent(new AgentActor('agent:incident', book.bus));
});
afterEach(async () => stores.dispose());

/** A deployment in progress, written straight to the log: the gates are not this test's subject. */
async function deploymentInProgress(): Promise<string> {
  const id = ulid();
  await stores.events.append(`deployment-${id}`, [
    {
      id: randomUUID(),
      type: 'DeploymentStarted',
      data: { buildId: 'B', featureId: 'F', environment: 'production', strategy: 'canary', version: '2.1.0' },
      metadata: { correlationId: 'release-7' },
    },
  ], 'no_stream');
  return id;
}

async function reactToAll(deploymentId: string): Promise<StoredEvent[]> {
  const events = await book.stream(`deployment-${deploymentId}`);
  for (const event of events) if (agent.canHandle.includes(event.type)) await agent.react(event);
  return events;
}

async function incidents(): Promise<StoredEvent[]> {
  return (await stores.events.readAll({ streamPrefix: 'incident-' })).filter((event) => event.type === 'IncidentOpened');
}

describe('incident agent', () => {
  it('given a failed deployment (DeploymentFailed then DeploymentRolledBack), then one incident is opened, caused by the DeploymentFailed', async () => {
    const deploymentId = await deploymentInProgress();
    await book.send('deployment', 'fail', { reason: 'error rate 12%' }, deploymentId, 'release-7');

    const events = await reactToAll(deploymentId);

    const opened = await incidents();
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      data: { deploymentId, environment: 'production', reason: 'error rate 12%', causedBy: 'DeploymentFailed' },
      metadata: { actor: 'agent:incident', actorRole: 'agent', causationId: events.find((e) => e.type === 'DeploymentFailed')!.id, correlationId: 'release-7' },
    });
  });

  it('given a rollback on its own, then it opens its own incident, caused by the DeploymentRolledBack', async () => {
    const deploymentId = await deploymentInProgress();
    await book.send('deployment', 'rollback', { reason: 'wrong config' }, deploymentId);

    const events = await reactToAll(deploymentId);

    const opened = await incidents();
    expect(opened).toHaveLength(1);
    expect(opened[0]!.data).toMatchObject({ causedBy: 'DeploymentRolledBack', reason: 'wrong config' });
    expect(opened[0]!.metadata.causationId).toBe(events.at(-1)!.id);
  });

  it('given the events again, then no further incident is opened', async () => {
    const deploymentId = await deploymentInProgress();
    await book.send('deployment', 'fail', { reason: 'timeouts' }, deploymentId);

    await reactToAll(deploymentId);
    await reactToAll(deploymentId);

    expect(await incidents()).toHaveLength(1);
  });

  it('reacts to failures and rollbacks only', async () => {
    const deploymentId = await deploymentInProgress();
    const [started] = await book.stream(`deployment-${deploymentId}`);
    expect(agent.canHandle.includes(started!.type)).toBe(false);
  });
});
