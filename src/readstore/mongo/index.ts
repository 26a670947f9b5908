export { openMongoReadStore, type MongoReadStoreOptions } from './open-mongo-read-store.js';
