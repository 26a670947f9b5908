export { openEmbeddedReadStore, type EmbeddedReadStoreOptions } from './embedded-read-store.js';
