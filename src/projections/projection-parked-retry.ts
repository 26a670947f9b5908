import type { Logger } from 'pino';
import type { Projection } from './projection.js';
import type { LiveProjections } from './live-projections.js';
import type { ProjectionRegistry } from './projection-registry.js';
import { ProjectionNotWritableError } from './rebuild/rebuild-errors.js';
import type { ProjectionWriter } from './projection-writer.js';
import { parkedToStoredEvent, type ParkedEvents } from './projection-parking.js';
import { DocumentReadError } from './unit-of-work.js';

export interface ParkedRetryResult {
  retried: number;
  succeeded: number;
  stillParked: number;
}

const PAGE = 100;

/**
 * Re-applies the parked events of the writer's generation through the projection, in log
 * order, each on the documents as they are now (later events may already be applied to them).
 * Those that succeed are written and leave the parked list; the others stay, with the new error.
 * The caller makes sure nothing else writes the generation meanwhile.
 */
export async function retryParkedEvents(parked: ParkedEvents, projection: Projection, writer: ProjectionWriter): Promise<ParkedRetryResult> {
  const result: ParkedRetryResult = { retried: 0, succeeded: 0, stillParked: 0 };
  let after: string | undefined;
  for (;;) {
    const page = await parked.list(projection.name, writer.generation, { limit: PAGE, after });
    for (const entry of page) {
      result.retried++;
      const unit = writer.retryUnit();
      try {
        await unit.apply(projection, parkedToStoredEvent(entry));
      } catch (error) {
        if (error instanceof DocumentReadError) throw error;
        await parked.recordFailedRetry(entry, error);
        result.stillParked++;
        continue;
      }
      await unit.flush();
      await parked.remove(entry);
      result.succeeded++;
    }
    if (page.length < PAGE) return result;
    after = page[page.length - 1]!.position;
  }
}

export type ParkedRetryAnswer = ({ done: true } & ParkedRetryResult) | { done: false };

export interface ParkedRetryDeps {
  registry: ProjectionRegistry;
  parked: ParkedEvents;
  live: LiveProjections;
  /** Projections run here: retry now; else record the request for the worker's registry poll. */
  run: boolean;
  logger?: Logger;
}

/** Re-applies the live generation's parked events here, between the runner's batches, or asks the worker to. */
export async function retryParkedOf(deps: ParkedRetryDeps, projection: Projection): Promise<ParkedRetryAnswer> {
  const name = projection.name;
  if (!deps.run) {
    await deps.registry.requestParkedRetry(name, new Date());
    return { done: false };
  }
  const runner = deps.live.runnerOf(name);
  if (!runner) throw new ProjectionNotWritableError(name, `version ${projection.version} is being built; retry after it is swapped in`);
  const result = await runner.exclusive(() => retryParkedEvents(deps.parked, projection, runner.writer));
  deps.logger?.info({ projection: name, ...result }, 'parked events retried');
  return { done: true, ...result };
}
