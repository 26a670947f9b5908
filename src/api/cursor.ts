import { z } from 'zod';
import { ApiError } from './error-handler.js';

// Cursors are opaque to clients: base64url JSON of the last key seen on the page.
const cursorSchema = z.object({ after: z.string() });

export function encodeCursor(after: string): string {
  return Buffer.from(JSON.stringify({ after })).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).after;
  } catch {
    throw new ApiError(400, 'the cursor is not one this API issued', { errors: [{ path: 'cursor', message: 'invalid cursor' }] });
  }
}
