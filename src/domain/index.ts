// The domain: one pure decider per aggregate, with its command and event schemas, its state,
// and what undo needs (touchedFields, compensate). Each aggregate is a namespace here because
// they share those function names; import from an aggregate's folder to use one directly.
export * from './decider.js';
export * from './errors.js';
export * as requirement from './requirement/index.js';
export * as feature from './feature/index.js';
export * as build from './build/index.js';
export * as deployment from './deployment/index.js';
export * as incident from './incident/index.js';
export * as testplan from './testplan/index.js';
export * as pipeline from './pipeline/index.js';
export { ulidSchema, semverSchema, environmentSchema, revertSchema, type Environment } from './shared/schemas.js';
