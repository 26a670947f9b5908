import { EventStoreDBClient } from '@eventstore/db-client';

/** EVENTSTORE_URL does not parse as an EventStoreDB connection string. */
export class EventStoreUrlError extends Error {
  override name = 'EventStoreUrlError';
}

export function connectEsdbClient(connectionString: string): EventStoreDBClient {
  try {
    return EventStoreDBClient.connectionString(connectionString);
  } catch (error) {
    // The string may hold credentials, so only the parser's complaint is repeated.
    const reason = error instanceof Error ? error.message : String(error);
    throw new EventStoreUrlError(
      `EVENTSTORE_URL is not a valid EventStoreDB connection string (expected e.g. esdb://localhost:2113?tls=false): ${reason}`,
      { cause: error },
    );
  }
}
