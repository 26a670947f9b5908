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

// Characters free text refuses: C0 and C1 controls, DEL, the byte order mark and the bidi
// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make text display
// otherwise than it reads. The patterns are written so JSON Schema tools understand them too.
const refusedInLine = '\\x00-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069\\ufeff';
const refusedInParagraph = '\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069\\ufeff';
const lineText = new RegExp(`^[^${refusedInLine}]*[^\\s${refusedInLine}][^${refusedInLine}]*$`);
const paragraphText = new RegExp(`^[^${refusedInParagraph}]*$`);
const REFUSED_MESSAGE = 'must not contain control characters, a byte order mark or bidirectional overrides';

/**
 * Free text a person writes on one line (names, reasons): surrounding blanks do not count towards
 * the limits, and it must have something besides blanks.
 */
export function text(min: number, max: number) {
  return z.string().regex(lineText, REFUSED_MESSAGE).trim().min(min).max(max);
}

/** Free text over several lines (descriptions): tabs and line breaks are kept. */
export function multilineText(max: number) {
  return z.string().max(max).regex(paragraphText, REFUSED_MESSAGE);
}

/** A partial update must change something. */
export function hasAnyField(payload: Record<string, unknown>): boolean {
  return Object.values(payload).some((value) => value !== undefined);
}

/** revert {toRevision}: the same payload for every revertible aggregate. */
// The explicit maximum puts the bound zod enforces into the OpenAPI document.
export const revertSchema = z.object({ toRevision: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict();
export type Revert = z.infer<typeof revertSchema>;

/** Commands without a payload still reject unknown fields. */
export const emptySchema = z.object({}).strict();
export type Empty = z.infer<typeof emptySchema>;
