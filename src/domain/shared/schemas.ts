import { z } from 'zod';

// Field schemas shared by several aggregates' command payloads.

/** Aggregate ids are ULIDs in Crockford base 32 (no I, L, O or U). */
export const ulidSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID (26 characters, Crockford base 32)');

// Semantic Versioning 2.0.0: numeric parts without leading zeros, optional pre-release and build.
const numericPart = '(?:0|[1-9]\\d*)';
const preReleasePart = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)';
const buildPart = '[0-9a-zA-Z-]+';
const semverPattern = new RegExp(
  `^${numericPart}\\.${numericPart}\\.${numericPart}` +
    `(?:-${preReleasePart}(?:\\.${preReleasePart})*)?` +
    `(?:\\+${buildPart}(?:\\.${buildPart})*)?$`,
);
export const semverSchema = z.string().regex(semverPattern, 'must be a semantic version such as 1.4.2 or 2.0.0-rc.1');

export const environmentSchema = z.enum(['staging', 'production']);
export type Environment = z.infer<typeof environmentSchema>;

/** Free text a person writes (names, reasons): surrounding blanks do not count towards the limits. */
export function text(min: number, max: number) {
  return z.string().trim().min(min).max(max);
}

/** A partial update must change something. */
export function hasAnyField(payload: Record<string, unknown>): boolean {
  return Object.values(payload).some((value) => value !== undefined);
}

/** revert {toRevision}: the same payload for every revertible aggregate. */
export const revertSchema = z.object({ toRevision: z.number().int().min(0) }).strict();
export type Revert = z.infer<typeof revertSchema>;

/** Commands without a payload still reject unknown fields. */
export const emptySchema = z.object({}).strict();
export type Empty = z.infer<typeof emptySchema>;
