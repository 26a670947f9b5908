export { openEsdbEventStore, type EsdbEventStoreOptions } from './esdb-event-store.js';
export { EventStoreUrlError } from './esdb-client.js';
export { CheckpointAheadOfLogError, InvalidLogPositionError } from './esdb-errors.js';
