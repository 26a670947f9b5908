import type { Projection } from '../projection.js';
import { requirementDecider } from '../../domain/requirement/index.js';
import { featureDecider } from '../../domain/feature/index.js';
import { buildDecider } from '../../domain/build/index.js';
import { deploymentDecider } from '../../domain/deployment/index.js';
import { incidentDecider } from '../../domain/incident/index.js';
import { aggregateReadModel } from './aggregate-read-model.js';
import { auditProjection } from './audit.js';
import { environmentsProjection } from './environments.js';
import { testplansProjection } from './testplans.js';
import { commandsProjection } from './commands.js';
import { pipelinesProjection } from './pipelines.js';
import { deliveryMetricsProjection } from './delivery-metrics.js';
import { ciDeliveriesProjection } from '../../integrations/inbound/deliveries-projection.js';

const newestFirst = (field: string) => ({ fields: [[field, 1], ['id', -1]] as Array<[string, 1 | -1]> });

/** Every read model, each a checkpointed projection of the global log. */
export function allProjections(): Projection[] {
  return [
    aggregateReadModel({ name: 'requirements', version: 1, aggregate: 'requirement', decider: requirementDecider, indexes: [newestFirst('status'), newestFirst('priority')] }),
    aggregateReadModel({ name: 'features', version: 1, aggregate: 'feature', decider: featureDecider, indexes: [newestFirst('requirementId'), newestFirst('status'), newestFirst('developer')] }),
    aggregateReadModel({ name: 'builds', version: 1, aggregate: 'build', decider: buildDecider, indexes: [newestFirst('featureId'), newestFirst('status')] }),
    aggregateReadModel({ name: 'deployments', version: 1, aggregate: 'deployment', decider: deploymentDecider, indexes: [newestFirst('buildId'), newestFirst('environment'), newestFirst('status')] }),
    aggregateReadModel({ name: 'incidents', version: 1, aggregate: 'incident', decider: incidentDecider, indexes: [newestFirst('deploymentId'), newestFirst('environment'), newestFirst('status')] }),
    environmentsProjection,
    testplansProjection,
    auditProjection,
    commandsProjection,
    pipelinesProjection,
    deliveryMetricsProjection,
    ciDeliveriesProjection,
  ];
}
