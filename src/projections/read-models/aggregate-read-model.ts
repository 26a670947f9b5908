import type { Decider } from '../../domain/decider.js';
import type { IndexSpec } from '../../readstore/port.js';
import { aggregateEventOf, decodeEvent, eventTypesOf, type AggregateName, type EventOf } from '../../events/typed-events.js';
import type { Projection } from '../projection.js';
import { APPLIED_POSITION } from '../unit-of-work.js';

// Fields the read model adds around the aggregate's own state.
const ENVELOPE = ['id', 'revision', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', APPLIED_POSITION] as const;

/**
 * A read model whose documents are the aggregate's state, folded with the domain's own evolve:
 * the query side can never disagree with what the decider sees. It handles every event type of
 * the aggregate.
 */
export function aggregateReadModel<Aggregate extends AggregateName, State extends object>(options: {
  name: string;
  version: number;
  aggregate: Aggregate;
  decider: Pick<Decider<State, unknown, EventOf<Aggregate>, unknown>, 'initialState' | 'evolve'>;
  indexes: IndexSpec[];
}): Projection {
  const { name, aggregate, decider } = options;
  return {
    name,
    version: options.version,
    collections: { [name]: options.indexes },
    canHandle: eventTypesOf(aggregate),
    async apply(stored, context) {
      const event = decodeEvent(stored);
      const domainEvent = aggregateEventOf(aggregate, event);
      if (!domainEvent) return;
      const { aggregateId: id, metadata: meta } = event;
      await context.update(name, id, (doc) => {
        const state = doc ? (stripEnvelope(doc) as State) : decider.initialState;
        const next = decider.evolve(state, domainEvent);
        return {
          ...next,
          id,
          revision: event.revision,
          createdAt: doc?.createdAt ?? meta.at ?? null,
          createdBy: doc?.createdBy ?? meta.actor ?? null,
          updatedAt: meta.at ?? null,
          updatedBy: meta.actor ?? null,
        };
      });
    },
  };
}

function stripEnvelope(doc: Record<string, unknown>): Record<string, unknown> {
  const state = { ...doc };
  for (const key of ENVELOPE) delete state[key];
  return state;
}
