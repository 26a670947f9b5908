import type { Context } from 'hono';
import { newUlid } from '../commands/new-ulid.js';
import type { CommandContext } from '../events/metadata.js';
import type { CommandResult } from '../commands/execute-command.js';
import type { AuthVariables } from './auth.js';
import { ApiError } from './error-handler.js';

export type ApiEnv = { Variables: AuthVariables };

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The actor, ids and If-Match of a command request; `creates` for a command that makes a new id. */
export function commandContext(c: Context<ApiEnv>, options: { creates?: boolean } = {}): CommandContext {
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
    expectedRevision: parseIfMatch(c.req.header('if-match'), options.creates ?? false),
    // Read as W3C trace context (a malformed one is ignored, as the standard asks).
    traceparent: c.req.header('traceparent'),
  };
}

/**
 * If-Match carries the ETag of an item GET: "<revision>" (weak or strong form accepted), with the
 * revision as this API writes it. `*` asks that the aggregate exist: every command on an id checks
 * that anyway, and a create, whose aggregate cannot exist yet, fails it (412, RFC 9110 §13.1.1).
 */
export function parseIfMatch(header: string | undefined, creates: boolean): number | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') {
    if (creates) throw new ApiError(412, 'If-Match: * asks for an existing resource, and this request creates one');
    return undefined;
  }
  const match = header.trim().match(/^(?:W\/)?"(0|[1-9]\d{0,14})"$/);
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
