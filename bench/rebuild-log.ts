// A realistic delivery log for the rebuild benchmark, appended straight through the event store
// port: many delivery stories (requirement → features → test plans → builds → deployments →
// incidents) progress side by side, so the global log interleaves their streams as it would
// in production. Appends are fired a thousand at a time, which group commit turns into one
// transaction each.
import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import type { EventStore, EventToAppend } from '../src/eventstore/port.js';
import { ledgerVersioning } from '../src/events/upcasting/ledger-versioning.js';

/** One command's worth of events on one stream. */
interface Step {
  streamName: string;
  commandType: string;
  actor: string;
  events: Array<{ type: string; data: unknown }>;
}

const STORIES_IN_FLIGHT = 300;
const APPENDS_PER_ROUND = 1_000;
const DEVELOPERS = ['alice', 'bob', 'carol', 'dave', 'erin'];

/** Appends at least `target` events; returns how many were appended. */
export async function appendDeliveryLog(events: EventStore, target: number, onProgress?: (appended: number) => void): Promise<number> {
  const random = seededRandom(42);
  const stories: Array<Iterator<Step>> = [];
  let appended = 0;
  let clock = Date.parse('2024-01-01T00:00:00Z');
  while (appended < target) {
    const round: Array<Promise<unknown>> = [];
    while (round.length < APPENDS_PER_ROUND && appended < target) {
      while (stories.length < STORIES_IN_FLIGHT) stories.push(deliveryStory(random));
      const index = Math.floor(random() * stories.length);
      const next = stories[index]!.next();
      if (next.done) {
        stories.splice(index, 1);
        continue;
      }
      clock += 1_000;
      round.push(events.append(next.value.streamName, toAppend(next.value, new Date(clock).toISOString()), 'any'));
      appended += next.value.events.length;
    }
    await Promise.all(round);
    onProgress?.(appended);
  }
  return appended;
}

function toAppend(step: Step, at: string): EventToAppend[] {
  const commandId = ulid();
  return step.events.map((event) => ({
    id: randomUUID(),
    type: event.type,
    data: event.data,
    metadata: {
      actor: step.actor,
      actorRole: step.actor.startsWith('agent:') ? 'agent' : 'engineer',
      commandId,
      commandType: step.commandType,
      correlationId: commandId,
      causationId: commandId,
      at,
      schemaVersion: ledgerVersioning.upcasters.currentVersion(event.type),
    },
  }));
}

function* deliveryStory(random: () => number): Generator<Step> {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const analyst = pick(DEVELOPERS);
  const requirementId = ulid();
  const requirement = `requirement-${requirementId}`;
  const title = `Requirement ${requirementId.slice(-6)}`;
  const criteria = ['works for every tenant', 'is audited', 'answers within 200 ms'];
  yield step(requirement, 'capture', analyst, 'RequirementCaptured', {
    title,
    description: 'As an operator I want the pipeline to be observable end to end, so that incidents are found early.',
    priority: pick(['low', 'medium', 'high', 'critical']),
    acceptanceCriteria: criteria,
  });
  if (random() < 0.3) yield step(requirement, 'revise', analyst, 'RequirementRevised', { changes: { priority: 'high' }, previous: { priority: 'medium' } });
  yield step(requirement, 'approve', analyst, 'RequirementApproved', { title });

  for (let f = 0; f < 2; f++) {
    const featureId = ulid();
    const feature = `feature-${featureId}`;
    const developer = pick(DEVELOPERS);
    const name = `Feature ${featureId.slice(-6)}`;
    yield step(feature, 'create', developer, 'FeatureCreated', { requirementId, name, complexityPoints: 1 + Math.floor(random() * 13), developer });
    yield step(`testplan-${featureId}`, 'generate', 'agent:testing-engineer', 'TestCasesGenerated', {
      featureId,
      requirementId,
      cases: criteria.map((criterion, i) => ({ id: `${featureId}-${i + 1}`, title: `Check that it ${criterion}`, criterion })),
    });
    yield step(feature, 'update', developer, 'FeatureUpdated', { changes: { complexityPoints: 8 }, previous: { complexityPoints: 5 } });
    yield* buildAndDeploy(featureId, developer, random);
  }
}

function* buildAndDeploy(featureId: string, developer: string, random: () => number): Generator<Step> {
  for (let b = 0; b < 2; b++) {
    const buildId = ulid();
    const build = `build-${buildId}`;
    const commit = randomUUID().replaceAll('-', '').slice(0, 12);
    yield step(build, 'request', developer, 'BuildRequested', { featureId, commit, repository: 'github.com/acme/shop' });
    const succeeded = random() < 0.9;
    yield step(build, 'recordResult', 'agent:ci', succeeded ? 'BuildSucceeded' : 'BuildFailed', { featureId, commit, durationMs: 30_000 + Math.floor(random() * 90_000) });
    if (!succeeded) continue;
    yield step(build, 'recordTestRun', 'agent:testing-engineer', 'TestRunRecorded', { passed: 120, failed: 0, coverage: 85 });
    yield step(build, 'recordSecurityScan', 'agent:security', 'SecurityScanRecorded', { findings: [{ id: 'CVE-2024-0001', severity: 'low' }] });
    yield* deploy(buildId, featureId, random);
  }
}

function* deploy(buildId: string, featureId: string, random: () => number): Generator<Step> {
  const deploymentId = ulid();
  const deployment = `deployment-${deploymentId}`;
  const environment = random() < 0.7 ? 'staging' : 'production';
  const version = `1.${Math.floor(random() * 40)}.${Math.floor(random() * 10)}`;
  const actor = 'agent:deployment-engineer';
  yield step(deployment, 'start', actor, 'DeploymentStarted', { buildId, featureId, environment, strategy: 'blue_green', version });
  yield step(deployment, 'advance', actor, 'TrafficShifted', { step: 1, percent: 10 });
  if (random() < 0.1) {
    const reason = 'error rate above 2 % after the first shift';
    yield {
      streamName: deployment,
      commandType: 'fail',
      actor,
      events: [
        { type: 'DeploymentFailed', data: { environment, version, reason } },
        { type: 'DeploymentRolledBack', data: { environment, version, reason } },
      ],
    };
    const incident = `incident-${ulid()}`;
    yield step(incident, 'open', 'agent:incident', 'IncidentOpened', { deploymentId, environment, reason, causedBy: 'DeploymentFailed' });
    yield step(incident, 'resolve', 'agent:incident', 'IncidentResolved', { deploymentId, environment, resolution: 'rolled back; fix scheduled' });
    return;
  }
  yield step(deployment, 'advance', actor, 'TrafficShifted', { step: 2, percent: 50 });
  yield step(deployment, 'advance', actor, 'TrafficShifted', { step: 3, percent: 100 });
  yield step(deployment, 'advance', actor, 'DeploymentSucceeded', { buildId, environment, version });
}

function step(streamName: string, commandType: string, actor: string, type: string, data: unknown): Step {
  return { streamName, commandType, actor, events: [{ type, data }] };
}

/** Deterministic, so every run of the benchmark projects the same shape of log. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
