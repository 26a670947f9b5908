import { z } from 'zod';

// Metadata carried by every event. Written by the command pipeline, never by clients.
export const eventMetadataSchema = z.object({
  actor: z.string(),
  actorRole: z.string(),
  commandId: z.string(),
  commandType: z.string(),
  correlationId: z.string(),
  causationId: z.string(),
  at: z.string(),
  schemaVersion: z.number().int(),
  undoOf: z.string().optional(),
  /** W3C traceparent of the command that appended the event: its handlers continue that trace. */
  traceparent: z.string().optional(),
});

export type EventMetadata = z.infer<typeof eventMetadataSchema>;

export const SCHEMA_VERSION = 1;

/** Who issued a command and why: the pipeline stamps it on every event the command appends. */
export interface CommandContext {
  actor: string;
  actorRole: string;
  commandId: string;
  correlationId: string;
  /** The command itself for API calls; the causing event's id for agents and compensations. */
  causationId: string;
  /** If-Match: the revision the client last saw. Set → no automatic retry on a conflict. */
  expectedRevision?: number;
  /** Set on compensating commands: the commandId being undone. */
  undoOf?: string;
  /** W3C traceparent the command continues (the client's, or the causing event's). */
  traceparent?: string;
}

const STRING_FIELDS = ['actor', 'actorRole', 'commandId', 'commandType', 'correlationId', 'causationId', 'at', 'undoOf', 'traceparent'] as const;

/**
 * Reads metadata leniently: events written by other tools may lack some fields, and a field of
 * the wrong type is dropped rather than trusted. Hand-written rather than a schema parse because
 * it runs for every event in every projection, where it must cost next to nothing.
 */
export function readMetadata(raw: Record<string, unknown>): Partial<EventMetadata> {
  const metadata: Partial<EventMetadata> = {};
  for (const field of STRING_FIELDS) {
    const value = raw[field];
    if (typeof value === 'string') metadata[field] = value;
  }
  if (typeof raw.schemaVersion === 'number' && Number.isInteger(raw.schemaVersion)) metadata.schemaVersion = raw.schemaVersion;
  return metadata;
}
