import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { environmentsProjection } from '../../../src/projections/read-models/environments.js';
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

/** The events of one deployment of `version` to `environment`. */
function deployment(id: string, environment: 'staging' | 'production', version: string) {
  const stream = `deployment-${id}`;
  return {
    started: () => log.event(stream, 'DeploymentStarted', { buildId: 'B1', featureId: 'F1', environment, strategy: 'canary', version }),
    shifted: (percent: number) => log.event(stream, 'TrafficShifted', { step: 1, percent }),
    succeeded: () => log.event(stream, 'DeploymentSucceeded', { buildId: 'B1', environment, version }),
    failed: () => log.event(stream, 'DeploymentFailed', { environment, version, reason: 'error rate' }),
    rolledBack: () => log.event(stream, 'DeploymentRolledBack', { environment, version, reason: 'error rate' }),
  };
}

describe('the environments read model', () => {

  it('given a deployment started, then the environment shows it in progress and nothing live yet', async () => {
    const first = deployment('D1', 'staging', '1.0.0');
    docs = await given(environmentsProjection, [first.started(), first.shifted(5)]);
    expect(await docs.all('environments')).toEqual([
      { id: 'staging', name: 'staging', currentVersion: null, currentDeploymentId: null, inProgressDeploymentId: 'D1', releases: [] },
    ]);
  });

  it('given a deployment that succeeded, then its version is current and it is the first release', async () => {
    const first = deployment('D1', 'staging', '1.0.0');
    const started = first.started();
    const succeeded = first.succeeded();
    docs = await given(environmentsProjection, [started, first.shifted(100), succeeded]);
    expect(await docs.one('environments', 'staging')).toEqual({
      id: 'staging',
      name: 'staging',
      currentVersion: '1.0.0',
      currentDeploymentId: 'D1',
      inProgressDeploymentId: null,
      releases: [{ deploymentId: 'D1', version: '1.0.0', at: succeeded.metadata.at, rolledBack: false }],
    });
  });

  it('given a succeeded release rolled back, then the previous succeeded version is current again', async () => {
    const first = deployment('D1', 'production', '1.0.0');
    const second = deployment('D2', 'production', '1.1.0');
    docs = await given(environmentsProjection, [first.started(), first.succeeded(), second.started(), second.succeeded(), second.rolledBack()]);
    const production = await docs.one('environments', 'production');
    expect(production).toMatchObject({ currentVersion: '1.0.0', currentDeploymentId: 'D1', inProgressDeploymentId: null });
    expect(production!.releases).toEqual([
      expect.objectContaining({ deploymentId: 'D1', rolledBack: false }),
      expect.objectContaining({ deploymentId: 'D2', rolledBack: true }),
    ]);
  });

  it('given a deployment that failed, then the environment keeps its live version and has nothing in progress', async () => {
    const first = deployment('D1', 'staging', '1.0.0');
    const second = deployment('D2', 'staging', '1.1.0');
    docs = await given(environmentsProjection, [first.started(), first.succeeded(), second.started(), second.failed(), second.rolledBack()]);
    expect(await docs.one('environments', 'staging')).toMatchObject({ currentVersion: '1.0.0', inProgressDeploymentId: null, releases: [expect.objectContaining({ deploymentId: 'D1' })] });
  });

  it('given deployments to two environments, then each environment has its own document', async () => {
    const staging = deployment('D1', 'staging', '1.0.0');
    const production = deployment('D2', 'production', '0.9.0');
    docs = await given(environmentsProjection, [staging.started(), production.started(), staging.succeeded()]);
    expect((await docs.all('environments')).map((env) => [env.id, env.currentVersion, env.inProgressDeploymentId])).toEqual([
      ['production', null, 'D2'],
      ['staging', '1.0.0', null],
    ]);
  });

  it('given more releases than it keeps, then only the latest 50 stay', async () => {
    const events = [];
    for (let n = 1; n <= 55; n++) {
      const each = deployment(`D${n}`, 'staging', `1.0.${n}`);
      events.push(each.started(), each.succeeded());
    }
    docs = await given(environmentsProjection, events);
    const staging = await docs.one('environments', 'staging');
    expect((staging!.releases as unknown[]).length).toBe(50);
    expect(staging).toMatchObject({ currentVersion: '1.0.55', releases: expect.arrayContaining([expect.objectContaining({ deploymentId: 'D6' })]) });
    expect(staging!.releases).not.toContainEqual(expect.objectContaining({ deploymentId: 'D5' }));
  });

  it('given the same events applied again, then nothing changes', async () => {
    const first = deployment('D1', 'staging', '1.0.0');
    const events = [first.started(), first.succeeded()];
    docs = await given(environmentsProjection, events);
    const before = await docs.all('environments');
    await docs.apply(events);
    expect(await docs.all('environments')).toEqual(before);
  });

  it('given a deployment whose start it never saw, then its outcome changes no environment', async () => {
    const orphan = deployment('D9', 'staging', '9.9.9');
    docs = await given(environmentsProjection, [orphan.succeeded()]);
    expect(await docs.all('environments')).toEqual([]);
  });

  it('handles only deployment events', () => {
    expect([...environmentsProjection.canHandle!].sort()).toEqual(['DeploymentFailed', 'DeploymentRolledBack', 'DeploymentStarted', 'DeploymentSucceeded']);
  });
});
