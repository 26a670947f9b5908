import type { Doc } from '../readstore/port.js';
import type { AppDeps } from './deps.js';
import { ApiError } from './error-handler.js';

const CATCH_UP_MS = 5000;

/**
 * A command from the command log read model, as of now: the log is read once the projection has
 * caught up with the head of the event log (≤ 5 s), so a command acknowledged a moment ago, or
 * its undo, is always there. Catching up is immediate when the projection is live.
 */
export async function findCommand(deps: AppDeps, commandId: string): Promise<Doc> {
  const head = await deps.events.headPosition();
  if (head !== null) await deps.projections.waitFor('commands', head, CATCH_UP_MS);
  const found = await deps.projections.collection('commands').get(commandId);
  if (found) return found;
  throw new ApiError(404, `command ${commandId} not found`);
}
