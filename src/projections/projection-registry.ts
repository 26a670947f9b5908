import { z } from 'zod';
import type { CollectionWrite, Doc, ReadStore } from '../readstore/port.js';
import { generationKey, generationSchema, type Generation } from './projection-generation.js';

const REGISTRY = '_projections';
const CHECKPOINTS = '_checkpoints';

export const rebuildOutcomeSchema = z.object({
  id: z.string(),
  generation: z.string(),
  status: z.enum(['swapped', 'cancelled']),
  finishedAt: z.string(),
  events: z.number().int(),
  seconds: z.number(),
  eventsPerSecond: z.number(),
});
export type RebuildOutcome = z.infer<typeof rebuildOutcomeSchema>;

/**
 * One document per projection. `liveVersion` + `liveBuild` name the generation queries read:
 * a swap rewrites them in a single document update, so every reader sees the old generation or
 * the new one, never a mix. Documents written before builds existed have no `liveBuild` (0).
 */
const registryEntrySchema = z.object({
  id: z.string(),
  liveVersion: z.number().int(),
  liveBuild: z.number().int().default(0),
  /** Highest build number handed out, so a new build never reuses an abandoned one's names. */
  lastBuild: z.number().int().default(0),
  swappedAt: z.string().nullable().default(null),
  /** The generation replaced by the last swap, until its collections are dropped. */
  retired: generationSchema.nullable().default(null),
  lastRebuild: rebuildOutcomeSchema.nullable().default(null),
  lastError: z.string().nullable().default(null),
  lastErrorAt: z.string().nullable().default(null),
  /** Set by a process that does not run projections; the one that does retries them. */
  parkedRetryRequestedAt: z.string().nullable().default(null),
});
export type RegistryEntry = z.infer<typeof registryEntrySchema>;

const checkpointSchema = z.object({ position: z.string(), at: z.string() });

export interface Checkpoint {
  position: bigint;
  /** When the checkpoint last moved: how stalls are seen from another process. */
  at: Date;
}

export function liveGeneration(entry: RegistryEntry): Generation {
  return { version: entry.liveVersion, build: entry.liveBuild };
}

/**
 * Which generation of each projection is live, and how far each generation has read the log.
 * Both live in the read store beside the read models, so they move with them.
 */
export class ProjectionRegistry {
  constructor(private readonly store: ReadStore) {}

  async entries(): Promise<Map<string, RegistryEntry>> {
    const docs = await this.store.collection(REGISTRY).find({});
    const entries = new Map<string, RegistryEntry>();
    for (const doc of docs) {
      const parsed = registryEntrySchema.safeParse(doc);
      if (parsed.success) entries.set(parsed.data.id, parsed.data);
    }
    return entries;
  }

  async entry(name: string): Promise<RegistryEntry | null> {
    const doc = await this.store.collection(REGISTRY).get(name);
    const parsed = registryEntrySchema.safeParse(doc);
    return parsed.success ? parsed.data : null;
  }

  /** The entry, created with `initial` live when the projection has none yet. */
  async ensure(name: string, initial: Generation): Promise<RegistryEntry> {
    await this.store.collection(REGISTRY).update(name, { $setOnInsert: { liveVersion: initial.version, liveBuild: initial.build } }, { upsert: true });
    const entry = await this.entry(name);
    if (!entry) throw new Error(`the registry entry of projection ${name} is unreadable`);
    return entry;
  }

  /** A build number no earlier build of this projection used. */
  async reserveBuild(name: string, version: number): Promise<Generation> {
    const entry = await this.entry(name);
    const build = Math.max(entry?.lastBuild ?? 0, entry?.liveBuild ?? 0) + 1;
    await this.store.collection(REGISTRY).update(name, { $set: { lastBuild: build } }, { upsert: true });
    return { version, build };
  }

  /** The atomic switch: one document update names the new live generation. */
  async swap(name: string, from: Generation, to: Generation, outcome: RebuildOutcome): Promise<void> {
    await this.store.collection(REGISTRY).update(name, {
      $set: { liveVersion: to.version, liveBuild: to.build, swappedAt: new Date().toISOString(), retired: from, lastRebuild: outcome },
    });
  }

  async recordOutcome(name: string, outcome: RebuildOutcome): Promise<void> {
    await this.store.collection(REGISTRY).update(name, { $set: { lastRebuild: outcome } });
  }

  async clearRetired(name: string): Promise<void> {
    await this.store.collection(REGISTRY).update(name, { $set: { retired: null } });
  }

  async recordError(name: string, message: string | null): Promise<void> {
    await this.store.collection(REGISTRY).update(name, { $set: { lastError: message, lastErrorAt: message === null ? null : new Date().toISOString() } });
  }

  async requestParkedRetry(name: string, at: Date | null): Promise<void> {
    await this.store.collection(REGISTRY).update(name, { $set: { parkedRetryRequestedAt: at === null ? null : at.toISOString() } });
  }

  async checkpoint(name: string, generation: Generation): Promise<Checkpoint | null> {
    const parsed = checkpointSchema.safeParse(await this.store.collection(CHECKPOINTS).get(checkpointId(name, generation)));
    return parsed.success ? { position: BigInt(parsed.data.position), at: new Date(parsed.data.at) } : null;
  }

  async saveCheckpoint(name: string, generation: Generation, position: bigint): Promise<void> {
    await this.store.collection(CHECKPOINTS).put(checkpointDoc(name, generation, position));
  }

  /** The checkpoint as a write, to go with the read-model writes it follows (see writeCollections). */
  checkpointWrite(name: string, generation: Generation, position: bigint): CollectionWrite {
    return { collection: CHECKPOINTS, ops: [{ put: checkpointDoc(name, generation, position) }] };
  }

  async dropCheckpoint(name: string, generation: Generation): Promise<void> {
    await this.store.collection(CHECKPOINTS).delete(checkpointId(name, generation));
  }

  /** Generation keys (`v1`, `v1_b2`) that have a checkpoint for this projection. */
  async checkpointedGenerations(name: string): Promise<string[]> {
    const docs = await this.store.collection(CHECKPOINTS).find({});
    const prefix = `${name}@`;
    return docs.filter((doc) => doc.id.startsWith(prefix)).map((doc) => doc.id.slice(prefix.length));
  }
}

function checkpointDoc(name: string, generation: Generation, position: bigint): Doc {
  return { id: checkpointId(name, generation), position: position.toString(), at: new Date().toISOString() };
}

/** `features@v1` (the original form) or `features@v1_b2`. */
function checkpointId(name: string, generation: Generation): string {
  return `${name}@${generationKey(generation)}`;
}
