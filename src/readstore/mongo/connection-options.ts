// Client settings for the read store: fail fast when the server is unreachable, so that
// callers get BackendUnavailableError in seconds instead of a request hanging.
import type { MongoClientOptions } from 'mongodb';

export const DEFAULT_DATABASE = 'agent_ledger';

/** Used unless the connection string sets the same option itself. */
const FAST_FAILURE_DEFAULTS = {
  serverSelectionTimeoutMS: 2_000,
  connectTimeoutMS: 2_000,
  // Long enough for a large bulk write, short enough that a dead socket is noticed.
  socketTimeoutMS: 30_000,
} satisfies MongoClientOptions;

function connectionStringOptionNames(url: string): Set<string> {
  const query = url.split('?')[1] ?? '';
  return new Set([...new URLSearchParams(query).keys()].map((name) => name.toLowerCase()));
}

export function clientOptionsFor(url: string): MongoClientOptions {
  const setInUrl = connectionStringOptionNames(url);
  return Object.fromEntries(
    Object.entries(FAST_FAILURE_DEFAULTS).filter(([name]) => !setInUrl.has(name.toLowerCase())),
  );
}

/** The database named in the connection string's path, if any (`mongodb://host/name`). */
export function databaseInUrl(url: string): string | undefined {
  const path = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(url)?.[1];
  return path ? decodeURIComponent(path) : undefined;
}
