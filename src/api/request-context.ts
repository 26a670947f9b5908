import type { Context } from 'hono';
import { newUlid } from '../commands/new-ulid.js';
import type { CommandContext } from '../events/metadata.js';
import type { CommandResult } from '../commands/execute-command.js';
import type { AuthVariables } from './auth.js';
import { ApiError } from './error-handler.js';

export type ApiEnv = { Variables: AuthVariables };

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The actor, ids and If-Match of a command request. */
export function commandContext(c: Context<ApiEnv>): CommandContext {
  const claims = c.get('claims');
  const commandId = c.get('commandId') ?? newUlid();
  const correlation = c.req.header('x-correlation-id');
  if (correlation !== undefined && !CORRELATION_ID.test(correlation)) {
    throw new ApiError(400, 'X-Correlation-Id must be 1..128 characters of [A-Za-z0-9._:-]', {
      errors: [{ path: 'header.x-correlation-id', message: 'invalid correlation id' }],
    });
  }
  return {
    actor: claims.sub,
    actorRole: claims.role,
    commandId,
    correlationId: correlation ?? commandId,
    causationId: commandId,
    expectedRevision: parseIfMatch(c.req.header('if-match')),
  };
}

/**
 * If-Match carries the ETag of an item GET: "<revision>" (weak or strong form accepted).
 * `*` only asks that the aggregate exist, which every command on an id checks anyway.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = header.trim().match(/^(?:W\/)?"?(-?\d{1,15})"?$/);
  if (!match) {
    throw new ApiError(400, 'If-Match must be an ETag this API issued, e.g. "3"', {
      errors: [{ path: 'header.if-match', message: 'invalid revision' }],
    });
  }
  return Number(match[1]);
}

export function commandResponse(c: Context, result: CommandResult): Response {
  c.header('etag', `"${result.revision}"`);
  const { id, revision, position, commandId, events } = result;
  return c.json({ id, revision, position, commandId, events }, result.created ? 201 : 200);
}
