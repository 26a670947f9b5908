import { z } from 'zod';
import { physicalCollection } from './projection.js';

/**
 * One physical build of a projection: its code `version` and a `build` number. Rebuilding the
 * same version makes a new build beside the live one, so the two never share a collection.
 * Build 0 keeps the original names (`rm_<logical>_v<version>`), so existing data stays live.
 */
export const generationSchema = z.object({
  version: z.number().int().min(0),
  build: z.number().int().min(0),
});
export type Generation = z.infer<typeof generationSchema>;

/** `v1` for build 0, `v1_b3` after rebuilds: the suffix of physical names and checkpoint ids. */
export function generationKey(generation: Generation): string {
  return generation.build === 0 ? `v${generation.version}` : `v${generation.version}_b${generation.build}`;
}

export function generationCollection(logical: string, generation: Generation): string {
  const base = physicalCollection(logical, generation.version);
  return generation.build === 0 ? base : `${base}_b${generation.build}`;
}

export function sameGeneration(a: Generation, b: Generation): boolean {
  return a.version === b.version && a.build === b.build;
}

const PHYSICAL_NAME = /^rm_(.+)_v(\d+)(?:_b(\d+))?$/;

/** The logical name and generation of a physical collection name; null for other collections. */
export function parseGenerationCollection(name: string): { logical: string; generation: Generation } | null {
  const match = PHYSICAL_NAME.exec(name);
  if (!match) return null;
  return { logical: match[1]!, generation: { version: Number(match[2]), build: Number(match[3] ?? 0) } };
}

/** The inverse of generationKey; null for anything else. */
export function parseGenerationKey(key: string): Generation | null {
  const match = /^v(\d+)(?:_b(\d+))?$/.exec(key);
  return match ? { version: Number(match[1]), build: Number(match[2] ?? 0) } : null;
}
