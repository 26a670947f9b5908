import { describe, expect, it } from 'vitest';
import { replay } from '../../src/domain/decider.js';
import { AggregateNotFoundError, DomainConflictError, NotUndoableError } from '../../src/domain/errors.js';
import {
  compensate,
  incidentCommandSchema,
  incidentDecider,
  incidentEventSchema,
  openIncidentSchema,
  resolveIncidentSchema,
  touchedFields,
  type IncidentCommand,
  type IncidentEvent,
} from '../../src/domain/incident/index.js';
import { scenario } from './given-when-then.js';
import { DEPLOYMENT_ID } from './fixtures.js';

const given = scenario(incidentDecider, { commands: incidentCommandSchema, events: incidentEventSchema });

const opening = { deploymentId: DEPLOYMENT_ID, environment: 'production', reason: 'error rate 12%', causedBy: 'DeploymentFailed' } as const;
const open: IncidentCommand = { type: 'open', data: opening };
const opened = { type: 'IncidentOpened', data: opening } satisfies IncidentEvent;
const resolved = {
  type: 'IncidentResolved',
  data: { deploymentId: DEPLOYMENT_ID, environment: 'production', resolution: 'connection pool resized' },
} satisfies IncidentEvent;
const resolve: IncidentCommand = { type: 'resolve', data: { resolution: 'connection pool resized' } };

describe('incident: open', () => {
  it('given nothing, when opened for a failed deployment, then IncidentOpened names the deployment, environment, reason and cause', () => {
    const state = given([]).when(open).then([opened]);
    expect(state).toEqual({ status: 'open', ...opening, resolution: null });
  });

  it('given an open incident, when opened again, then it conflicts (the agent adds nothing on a replay)', () => {
    given([opened]).when(open).thenThrows(DomainConflictError, /already exists/);
  });
});

describe('incident: resolve', () => {
  it('given an open incident, when resolved, then IncidentResolved carries the resolution and where it happened', () => {
    const state = given([opened]).when(resolve).then([resolved]);
    expect(state).toMatchObject({ status: 'resolved', resolution: 'connection pool resized' });
  });

  it('given a resolved incident, when resolved again, then it conflicts', () => {
    given([opened, resolved]).when(resolve).thenThrows(DomainConflictError, /already resolved/);
  });

  it('given nothing, when resolved, then the incident is not found', () => {
    given([]).when(resolve).thenThrows(AggregateNotFoundError, /incident not found/);
  });
});

describe('incident: undo', () => {
  it.each([
    [opened, []],
    [resolved, [opened]],
  ] satisfies [IncidentEvent, IncidentEvent[]][])('$type is a recorded fact and cannot be undone', (event, history) => {
    const before = replay(incidentDecider, history);
    expect(() => compensate([event], before, replay(incidentDecider, [event], before))).toThrow(NotUndoableError);
  });

  it('opening touches every field; resolving touches status and resolution', () => {
    expect(touchedFields(opened)).toHaveLength(6);
    expect(touchedFields(resolved)).toEqual(['status', 'resolution']);
  });
});

describe('incident payloads', () => {
  const accepts = (schema: { safeParse(value: unknown): { success: boolean } }, value: unknown) =>
    schema.safeParse(value).success;

  it('open accepts a failed or rolled-back deployment as the cause, nothing else', () => {
    expect(accepts(openIncidentSchema, { ...opening, causedBy: 'DeploymentRolledBack' })).toBe(true);
    expect(accepts(openIncidentSchema, { ...opening, causedBy: 'DeploymentSucceeded' })).toBe(false);
  });

  it('open needs a ULID deployment, a known environment and a reason of 1 to 2000 characters', () => {
    expect(accepts(openIncidentSchema, { ...opening, reason: 'x'.repeat(2000) })).toBe(true);
    expect(accepts(openIncidentSchema, { ...opening, reason: 'x'.repeat(2001) })).toBe(false);
    expect(accepts(openIncidentSchema, { ...opening, reason: '' })).toBe(false);
    expect(accepts(openIncidentSchema, { ...opening, deploymentId: 'dep-1' })).toBe(false);
    expect(accepts(openIncidentSchema, { ...opening, environment: 'dev' })).toBe(false);
    expect(accepts(openIncidentSchema, { ...opening, severity: 'high' })).toBe(false);
  });

  it('resolve needs a resolution of 1 to 2000 characters', () => {
    expect(accepts(resolveIncidentSchema, { resolution: 'x'.repeat(2000) })).toBe(true);
    expect(accepts(resolveIncidentSchema, { resolution: 'x'.repeat(2001) })).toBe(false);
    expect(accepts(resolveIncidentSchema, { resolution: '  ' })).toBe(false);
    expect(accepts(resolveIncidentSchema, { resolution: 'done', by: 'alice' })).toBe(false);
  });
});
