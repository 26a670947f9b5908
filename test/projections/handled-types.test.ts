import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/eventstore/port.js';
import { projectionOf } from '../../src/projections/projection.js';
import type { LoggedEvent } from '../../src/events/typed-events.js';
import { ParkedEvents } from '../../src/projections/projection-parking.js';
import { ProjectionRegistry } from '../../src/projections/projection-registry.js';
import { ProjectionWriter } from '../../src/projections/projection-writer.js';
import { openEmbeddedReadStore } from '../../src/readstore/embedded/index.js';
import type { ReadStore } from '../../src/readstore/port.js';
import { EventLog } from './read-models/support/given-events.js';

let readStore: ReadStore | null = null;
afterEach(async () => {
  await readStore?.close();
  readStore = null;
});

/** A projection that records what its one handler received. */
function featureNames() {
  const received: LoggedEvent[] = [];
  const projection = projectionOf({
    name: 'feature-names',
    version: 1,
    collections: { feature_names: [] },
    handlers: {
      async FeatureCreated(event, context) {
        received.push(event);
        // Typed: `name` is a string by the domain's schema, no cast needed.
        await context.update('feature_names', event.aggregateId, () => ({ id: event.aggregateId, name: event.data.name.toUpperCase() }));
      },
    },
  });
  return { projection, received };
}

async function writerFor(projection: ReturnType<typeof featureNames>['projection']): Promise<ProjectionWriter> {
  readStore = openEmbeddedReadStore({ file: ':memory:' });
  const parked = new ParkedEvents(readStore);
  await parked.ensureIndexes();
  return new ProjectionWriter(readStore, new ProjectionRegistry(readStore), parked, projection, { version: 1, build: 0 });
}

describe('typed event handling', () => {
  it('a projection handles the event types of its handlers, each handler getting the typed event with metadata read and stream name split', async () => {
    const log = new EventLog();
    const { projection, received } = featureNames();
    const created = log.event('feature-F1', 'FeatureCreated', { requirementId: 'Q1', name: 'login', complexityPoints: 3, developer: 'bob' }, { commandId: 'C1' });
    const writer = await writerFor(projection);
    await writer.applyBatch([created]);

    expect(projection.canHandle).toEqual(['FeatureCreated']);
    expect(received).toEqual([
      {
        id: created.id,
        streamName: 'feature-F1',
        aggregateType: 'feature',
        aggregateId: 'F1',
        type: 'FeatureCreated',
        revision: 0,
        position: created.position,
        data: created.data,
        metadata: { actor: 'alice', actorRole: 'engineer', at: created.metadata.at, commandId: 'C1' },
        recordedAt: created.recordedAt,
      },
    ]);
    expect(await writer.store('feature_names').get('F1')).toMatchObject({ name: 'LOGIN' });
  });

  it('given events of types it does not handle, then they never reach it, and its checkpoint moves past them', async () => {
    const log = new EventLog();
    const { projection, received } = featureNames();
    const skipped: StoredEvent[] = [
      log.event('feature-F1', 'FeatureDeleted', { name: 'login' }),
      log.raw('gadget-G1', 'GadgetPolished', {}),
      log.event('requirement-Q1', 'RequirementApproved', { title: 'Sign-in' }),
    ];
    const writer = await writerFor(projection);
    const result = await writer.applyBatch(skipped);

    expect(received).toEqual([]);
    expect(result).toEqual({ applied: 0, parked: 0 });
    expect(writer.checkpoint).toBe(skipped.at(-1)!.position);
  });
});
