import { join } from 'node:path';
import pino from 'pino';
import type { EventStore } from '../../src/eventstore/port.js';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/index.js';
import { openEmbeddedReadStore } from '../../src/readstore/embedded/index.js';
import { ProjectionService } from '../../src/projections/projection-service.js';
import { PARKED } from '../../src/projections/projection-runner.js';
import { allProjections } from '../../src/projections/read-models/index.js';

export interface ReplayFigures {
  events: number;
  projections: number;
  seconds: number;
  /** Log events per second of wall time until every projection reached the head. */
  eventsPerSecond: number;
  caughtUp: boolean;
  parked: number;
  /** FeatureCreated events in the log: what the rebuilt features read model must hold. */
  featuresInLog: number;
  /** Documents in the rebuilt features read model. */
  features: number;
}

const CATCH_UP_TIMEOUT_MS = 120_000;
const COUNT_PAGE = 5_000;

/**
 * Replays the whole embedded log in `dataDir` through every projection from scratch, into a
 * fresh read store file beside it, and times it until every checkpoint reaches the head.
 */
export async function replayAllProjections(dataDir: string): Promise<ReplayFigures> {
  const events = openSqliteEventStore({ file: join(dataDir, 'events.db') });
  const readStore = openEmbeddedReadStore({ file: join(dataDir, `replay-${Date.now()}.db`) });
  try {
    const head = await events.headPosition();
    if (head === null) throw new Error('the log to replay is empty');
    const { total: eventCount, featuresCreated } = await countEvents(events);
    const projections = allProjections();
    const service = new ProjectionService(events, readStore, projections, { run: true, logger: pino({ level: 'silent' }) });

    const started = performance.now();
    await service.start();
    const caughtUp = await service.waitForAll(head, CATCH_UP_TIMEOUT_MS);
    const seconds = (performance.now() - started) / 1000;
    await service.stop();

    return {
      events: eventCount,
      projections: projections.length,
      seconds,
      eventsPerSecond: eventCount / seconds,
      caughtUp,
      parked: await readStore.collection(PARKED).count({}),
      featuresInLog: featuresCreated,
      features: await service.collection('features').count({}),
    };
  } finally {
    await readStore.close();
    await events.close();
  }
}

async function countEvents(events: EventStore): Promise<{ total: number; featuresCreated: number }> {
  let total = 0;
  let featuresCreated = 0;
  let after: bigint | null = null;
  for (;;) {
    const page = await events.readAll({ after, maxCount: COUNT_PAGE });
    total += page.length;
    featuresCreated += page.filter((event) => event.type === 'FeatureCreated').length;
    if (page.length < COUNT_PAGE) return { total, featuresCreated };
    after = page[page.length - 1]!.position;
  }
}
