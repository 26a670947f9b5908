import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { positionKey } from '../../../src/events/positions.js';
import { auditProjection } from '../../../src/projections/read-models/audit.js';
import { EventLog, given, type ProjectedDocuments } from './support/given-events.js';

let log: EventLog;
let docs: ProjectedDocuments | null = null;
beforeEach(() => {
  log = new EventLog();
});
afterEach(async () => {
  await docs?.close();
  docs = null;
});

const command = { commandId: 'C1', commandType: 'feature.create', correlationId: 'R1', causationId: 'C1' };

describe('the audit read model', () => {
  it('given an event, then one entry keyed by its position with its metadata and a one-line summary', async () => {
    const created = log.event('feature-F1', 'FeatureCreated', { requirementId: 'Q1', name: 'Login', complexityPoints: 5, developer: 'bob' }, command);
    docs = await given(auditProjection, [created]);
    expect(await docs.all('audit')).toEqual([
      {
        id: positionKey(created.position),
        position: created.position.toString(),
        at: created.metadata.at,
        actor: 'alice',
        actorRole: 'engineer',
        aggregateType: 'feature',
        aggregateId: 'F1',
        revision: 0,
        type: 'FeatureCreated',
        summary: "alice created feature 'Login' (5 points, bob)",
        commandId: 'C1',
        commandType: 'feature.create',
        correlationId: 'R1',
        causationId: 'C1',
        undoOf: null,
      },
    ]);
  });

  it('given an update, then its summary names each change with the value before it', async () => {
    const updated = log.event('feature-F1', 'FeatureUpdated', { changes: { name: 'SSO login', complexityPoints: 8 }, previous: { name: 'Login', complexityPoints: 5 } });
    docs = await given(auditProjection, [updated]);
    const [entry] = await docs.all('audit');
    expect(entry!.summary).toBe("alice renamed feature 'Login' to 'SSO login', changed complexityPoints of feature F1 from 5 to 8");
  });

  it('given an undo, then its entry links the command it undid', async () => {
    const deleted = log.event('feature-F1', 'FeatureDeleted', { name: 'Login' }, { commandId: 'C2', undoOf: 'C1' });
    docs = await given(auditProjection, [deleted]);
    expect(await docs.one('audit', positionKey(deleted.position))).toMatchObject({ undoOf: 'C1', commandId: 'C2', summary: "alice deleted feature 'Login'" });
  });

  it('given an environment reservation, then its entry says which deployment reserved the environment', async () => {
    const reserved = log.raw('environment-staging', 'EnvironmentReserved', { deploymentId: 'D1', buildId: 'B1', version: '1.2.0' });
    docs = await given(auditProjection, [reserved]);
    const [entry] = await docs.all('audit');
    expect(entry).toMatchObject({ aggregateType: 'environment', aggregateId: 'staging', summary: 'alice reserved staging for deployment D1 of 1.2.0' });
  });

  it('given events written by another tool, with unknown types or missing metadata, then entries say what is certain', async () => {
    const unknown = log.raw('gadget-G1', 'GadgetPolished', { shine: 3 }, { actor: 'tool' });
    const malformed = log.raw('feature-F2', 'FeatureCreated', null, { actor: undefined, at: undefined });
    docs = await given(auditProjection, [unknown, malformed]);
    const [first, second] = await docs.all('audit');
    expect(first).toMatchObject({ actor: 'tool', summary: 'tool recorded GadgetPolished on G1', commandId: null, correlationId: null });
    expect(second).toMatchObject({ actor: 'unknown', at: malformed.recordedAt.toISOString(), summary: 'someone recorded FeatureCreated on F2' });
  });

  it('given many events, then one entry each, in log order by id', async () => {
    const events = [
      log.event('requirement-Q1', 'RequirementCaptured', { title: 'Sign-in', description: '', priority: 'high', acceptanceCriteria: ['works'] }),
      log.event('requirement-Q1', 'RequirementApproved', { title: 'Sign-in' }),
      log.event('build-B1', 'BuildRequested', { featureId: 'F1', commit: 'abcdef1234567890', repository: null }),
    ];
    docs = await given(auditProjection, events);
    expect((await docs.all('audit')).map((entry) => [entry.type, entry.summary])).toEqual([
      ['RequirementCaptured', "alice captured requirement 'Sign-in' (high)"],
      ['RequirementApproved', "alice approved requirement 'Sign-in'"],
      ['BuildRequested', 'alice requested a build of commit abcdef123456'],
    ]);
  });

  it('handles every event', () => {
    expect(auditProjection.canHandle).toBeUndefined();
  });
});
