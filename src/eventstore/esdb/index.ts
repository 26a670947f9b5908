export { openEsdbEventStore, type EsdbEventStoreOptions } from './esdb-event-store.js';
export { EventStoreUrlError } from './esdb-client.js';
