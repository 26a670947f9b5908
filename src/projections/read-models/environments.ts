import type { Doc } from '../../readstore/port.js';
import type { TypedEvent } from '../../events/typed-events.js';
import { projectionOf, type ProjectionContext } from '../projection.js';

interface Release {
  deploymentId: string;
  version: string;
  at: string | null;
  rolledBack: boolean;
}

interface DeploymentLink {
  environment: string;
  version: string;
}

type DeploymentOutcome = TypedEvent<'DeploymentSucceeded' | 'DeploymentFailed' | 'DeploymentRolledBack'>;

/**
 * Environments: the version currently live in each, the deployment in progress, and the release
 * history. Rolling back a succeeded deployment makes the previous succeeded version current.
 * Deployment events after the start do not name their environment, so the projection keeps its
 * own deployment → environment links (never another projection's documents).
 */
export const environmentsProjection = projectionOf({
  name: 'environments',
  version: 1,
  collections: { environments: [], environment_deployments: [] },
  handlers: {
    async DeploymentStarted(event, context) {
      const { aggregateId: deploymentId, data } = event;
      await context.update('environment_deployments', deploymentId, () => ({ id: deploymentId, environment: data.environment, version: data.version }));
      await context.update('environments', data.environment, (doc) => ({ ...environment(doc, data.environment), inProgressDeploymentId: deploymentId }));
    },
    DeploymentSucceeded: applyOutcome,
    DeploymentFailed: applyOutcome,
    DeploymentRolledBack: applyOutcome,
  },
});

async function applyOutcome(event: DeploymentOutcome, context: ProjectionContext): Promise<void> {
  const deploymentId = event.aggregateId;
  const link = (await context.get('environment_deployments', deploymentId)) as (Doc & DeploymentLink) | null;
  if (!link) return;
  const at = event.metadata.at ?? null;
  await context.update('environments', link.environment, (doc) => {
    const env = environment(doc, link.environment);
    const releases = [...(env.releases as Release[])];
    const inProgress = env.inProgressDeploymentId === deploymentId ? null : env.inProgressDeploymentId;
    switch (event.type) {
      case 'DeploymentSucceeded':
        releases.push({ deploymentId, version: link.version, at, rolledBack: false });
        return withCurrent({ ...env, inProgressDeploymentId: null }, releases);
      case 'DeploymentFailed':
        return { ...env, inProgressDeploymentId: inProgress };
      case 'DeploymentRolledBack': {
        const marked = releases.map((release) => (release.deploymentId === deploymentId ? { ...release, rolledBack: true } : release));
        return withCurrent({ ...env, inProgressDeploymentId: inProgress }, marked);
      }
    }
  });
}

/**
 * Releases kept per environment: enough to roll back through many bad releases, bounded so the
 * document (rewritten on every deployment event) does not grow with the log.
 */
const RELEASES_KEPT = 50;

function environment(doc: Doc | null, name: string): Doc {
  return doc ?? { id: name, name, currentVersion: null, currentDeploymentId: null, inProgressDeploymentId: null, releases: [] };
}

/** The current version is the latest release not rolled back. */
function withCurrent(env: Doc, all: Release[]): Doc {
  const releases = all.slice(-RELEASES_KEPT);
  const current = [...releases].reverse().find((release) => !release.rolledBack);
  return { ...env, releases, currentVersion: current?.version ?? null, currentDeploymentId: current?.deploymentId ?? null };
}
