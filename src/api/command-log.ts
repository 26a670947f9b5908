import type { Doc } from '../readstore/port.js';
import type { AppDeps } from './deps.js';
import { ApiError } from './error-handler.js';

const CATCH_UP_MS = 5000;

/**
 * A command from the command log read model. A command acknowledged a moment ago may not be
 * projected yet, so a miss waits (≤ 5 s) for the log to catch up to the head before it is a 404.
 */
export async function findCommand(deps: AppDeps, commandId: string): Promise<Doc> {
  const commands = () => deps.projections.collection('commands');
  const found = await commands().get(commandId);
  if (found) return found;
  const head = await deps.events.headPosition();
  if (head !== null && (await deps.projections.waitFor('commands', head, CATCH_UP_MS))) {
    const caughtUp = await commands().get(commandId);
    if (caughtUp) return caughtUp;
  }
  throw new ApiError(404, `command ${commandId} not found`);
}
