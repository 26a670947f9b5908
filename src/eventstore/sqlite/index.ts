export { openSqliteEventStore, SqliteEventStore } from './sqlite-event-store.js';
export { DuplicateEventIdError } from './group-commit.js';
