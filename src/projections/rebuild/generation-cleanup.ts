import type { ReadStore } from '../../readstore/port.js';
import type { Projection } from '../projection.js';
import { generationCollection, generationKey, parseGenerationCollection, parseGenerationKey, type Generation } from '../projection-generation.js';
import type { ProjectionRegistry } from '../projection-registry.js';
import type { ParkedEvents } from '../projection-parking.js';

export interface CleanupDeps {
  readStore: ReadStore;
  registry: ProjectionRegistry;
  parked: ParkedEvents;
}

/** Drops a generation's collections, checkpoint and parked events. Safe to repeat. */
export async function dropGeneration(deps: CleanupDeps, projection: Projection, generation: Generation): Promise<void> {
  for (const logical of Object.keys(projection.collections)) {
    await deps.readStore.dropCollection(generationCollection(logical, generation));
  }
  await deps.registry.dropCheckpoint(projection.name, generation);
  await deps.parked.dropGeneration(projection.name, generation);
}

/**
 * Drops every generation of the projection except those in `keep`: what a crash left behind
 * (a retired generation not dropped yet, a cancelled or abandoned build). Returns the keys dropped.
 */
export async function dropOtherGenerations(deps: CleanupDeps, projection: Projection, keep: Generation[]): Promise<string[]> {
  const kept = new Set(keep.map(generationKey));
  const logicals = new Set(Object.keys(projection.collections));
  const found = new Map<string, Generation>();
  for (const name of await deps.readStore.listCollections()) {
    const parsed = parseGenerationCollection(name);
    if (parsed && logicals.has(parsed.logical)) found.set(generationKey(parsed.generation), parsed.generation);
  }
  for (const key of await deps.registry.checkpointedGenerations(projection.name)) {
    const generation = parseGenerationKey(key);
    if (generation) found.set(key, generation);
  }
  const dropped: string[] = [];
  for (const [key, generation] of found) {
    if (kept.has(key)) continue;
    await dropGeneration(deps, projection, generation);
    dropped.push(key);
  }
  return dropped;
}
