import type { Decider, DomainEvent } from '../../domain/decider.js';
import type { IndexSpec } from '../../readstore/port.js';
import { parseStreamName } from '../../events/stream-names.js';
import { readMetadata } from '../../events/metadata.js';
import type { Projection } from '../projection.js';
import { APPLIED_POSITION } from '../unit-of-work.js';

// Fields the read model adds around the aggregate's own state.
const ENVELOPE = ['id', 'revision', 'createdAt', 'createdBy', 'updatedAt', 'updatedBy', APPLIED_POSITION] as const;

/**
 * A read model whose documents are the aggregate's state, folded with the domain's own evolve:
 * the query side can never disagree with what the decider sees.
 */
export function aggregateReadModel<State extends object, Event extends DomainEvent>(options: {
  name: string;
  version: number;
  decider: Pick<Decider<State, unknown, Event, unknown>, 'aggregateType' | 'initialState' | 'evolve'>;
  indexes: IndexSpec[];
}): Projection {
  const { name, decider } = options;
  const prefix = `${decider.aggregateType}-`;
  return {
    name,
    version: options.version,
    collections: { [name]: options.indexes },
    async apply(event, context) {
      if (!event.streamName.startsWith(prefix)) return;
      const { id } = parseStreamName(event.streamName);
      const meta = readMetadata(event.metadata);
      await context.update(name, id, (doc) => {
        const state = doc ? stripEnvelope(doc) : decider.initialState;
        const next = decider.evolve(state as State, { type: event.type, data: event.data } as Event);
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
