/**
 * One step of an event type's schema history: turns the data of `fromVersion` into the data of
 * `fromVersion + 1`. Pure: the same old data always gives the same new data, so a replay of an
 * old log reaches the same states however often it runs.
 */
export interface Upcaster {
  eventType: string;
  fromVersion: number;
  upcast(data: unknown): unknown;
}

/** Every event type starts at version 1; each upcaster adds one. */
export const FIRST_SCHEMA_VERSION = 1;
