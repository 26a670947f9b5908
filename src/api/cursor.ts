import { z } from '@hono/zod-openapi';
import { ApiError } from './error-handler.js';

// Cursors are opaque to clients: the hex of the last key seen on the page. Hex has a pattern the
// OpenAPI document can state exactly, so every cursor that matches it is one the API can read
// (a made-up one just starts the page elsewhere; keys are compared, never trusted).
const HEX_KEY = /^(?:[0-9a-f]{2}){1,250}$/;

export function encodeCursor(after: string): string {
  return Buffer.from(after, 'latin1').toString('hex');
}

export function decodeCursor(cursor: string): string {
  if (!HEX_KEY.test(cursor)) {
    throw new ApiError(400, 'the cursor is not one this API issued', { errors: [{ path: 'query.cursor', message: 'invalid cursor' }] });
  }
  return Buffer.from(cursor, 'hex').toString('latin1');
}

const cursorDescription = 'The nextCursor of the previous page';

/** ?cursor= of a page keyed by any string. */
export const cursorQuery = z.string().regex(HEX_KEY, 'must be a cursor this API issued').openapi({ description: cursorDescription });

/** ?cursor= of a page keyed by a number of up to `digits` digits (the hex of its decimal digits). */
export function numericCursorQuery(digits: number) {
  return z
    .string()
    .regex(new RegExp(`^(?:3[0-9]){1,${digits}}$`), 'must be a cursor this API issued')
    .openapi({ description: cursorDescription });
}
