import { requirement } from '../domain/requirement/index.js';
import { feature } from '../domain/feature/index.js';
import { build } from '../domain/build/index.js';
import { deployment } from '../domain/deployment/index.js';
import { incident } from '../domain/incident/index.js';
import { testplan } from '../domain/testplan/index.js';
import { pipeline } from '../domain/pipeline/index.js';
import { registerAggregate, type RegisteredAggregate } from './aggregate-io.js';
import { featureIO } from './facts/feature-facts.js';
import { buildIO } from './facts/build-facts.js';
import { deploymentIO } from './facts/deployment-facts.js';
import { pipelineIO } from './facts/pipeline-facts.js';

/**
 * Every aggregate, once. The command bus, undo, revert, time travel and history find an
 * aggregate here by the name its streams carry; adding one is its folder and a line here.
 */
export const aggregates: readonly RegisteredAggregate[] = [
  registerAggregate(requirement),
  registerAggregate(feature, featureIO),
  registerAggregate(build, buildIO),
  registerAggregate(deployment, deploymentIO),
  registerAggregate(incident),
  registerAggregate(testplan),
  registerAggregate(pipeline, pipelineIO),
];
