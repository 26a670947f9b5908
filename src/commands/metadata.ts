import { z } from 'zod';

// Metadata carried by every event (SPEC §2). Written by the command pipeline, never by clients.
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
}

// Built once: zod compiles a schema on first use, and this runs for every event projected.
const lenientMetadataSchema = eventMetadataSchema.partial();

/** Reads metadata leniently: events written by other tools may lack some fields. */
export function readMetadata(raw: Record<string, unknown>): Partial<EventMetadata> {
  const parsed = lenientMetadataSchema.safeParse(raw);
  return parsed.success ? parsed.data : {};
}
