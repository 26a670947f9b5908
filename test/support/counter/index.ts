import { z } from 'zod';
import { defineAggregate } from '../../../src/domain/aggregate.js';
import type { Decider } from '../../../src/domain/decider.js';
import { DomainRuleError, NotUndoableError } from '../../../src/domain/errors.js';
import { commandSchema, eventSchema } from '../../../src/domain/shared/event-schema.js';
import { requireExisting, requireNew, type NoState } from '../../../src/domain/shared/existence.js';
import { revertTarget, type RevertFacts } from '../../../src/domain/shared/revert.js';
import { revertSchema, text } from '../../../src/domain/shared/schemas.js';

// A test-only aggregate, written the way a real one is in src/domain/<aggregate>/: a counter that
// is opened with a label and counts up or down. It exists to show that a module and one line in
// a list are all the command pipeline, undo, revert, time travel and history need.

export const openCounterSchema = z.object({ label: text(1, 100) }).strict();
export const addToCounterSchema = z.object({ amount: z.number().int().min(-1000).max(1000) }).strict();

export const counterCommandSchema = z.discriminatedUnion('type', [
  commandSchema('open', openCounterSchema),
  commandSchema('add', addToCounterSchema),
  commandSchema('revert', revertSchema),
]);
export type CounterCommand = z.infer<typeof counterCommandSchema>;

const existingCounterStateSchema = z.object({ status: z.literal('open'), label: z.string(), total: z.number() });
type ExistingCounterState = z.infer<typeof existingCounterStateSchema>;
export type CounterState = NoState | ExistingCounterState;

export const counterEventSchema = z.discriminatedUnion('type', [
  eventSchema('CounterOpened', z.object({ label: z.string() })),
  eventSchema('CounterAdded', z.object({ amount: z.number() })),
  eventSchema('CounterReverted', z.object({ toRevision: z.number().int().min(0).optional(), state: existingCounterStateSchema })),
]);
export type CounterEvent = z.infer<typeof counterEventSchema>;

const AGGREGATE = 'counter';

const counterDecider: Decider<CounterState, CounterCommand, CounterEvent, RevertFacts<CounterState> | undefined> = {
  aggregateType: AGGREGATE,
  initialState: { status: 'none' },
  evolve(state, event) {
    if (event.type === 'CounterOpened') return { status: 'open', label: event.data.label, total: 0 };
    if (event.type === 'CounterReverted') return event.data.state;
    return state.status === 'none' ? state : { ...state, total: state.total + event.data.amount };
  },
  decide(command, state, facts) {
    if (command.type === 'open') {
      requireNew(state, AGGREGATE);
      return [{ type: 'CounterOpened', data: command.data }];
    }
    const counter = requireExisting<ExistingCounterState>(state, AGGREGATE);
    if (command.type === 'add') {
      if (counter.total + command.data.amount < 0) throw new DomainRuleError('a counter does not go below zero');
      return [{ type: 'CounterAdded', data: command.data }];
    }
    const target = revertTarget<ExistingCounterState>(command.data.toRevision, facts, AGGREGATE);
    return [{ type: 'CounterReverted', data: { toRevision: command.data.toRevision, state: target } }];
  },
};

/** An addition is taken back by adding the opposite; a revert by reverting to the state before it. */
function compensate(events: CounterEvent[], stateBefore: CounterState, _stateNow: CounterState): CounterEvent[] {
  const [event] = events;
  if (event?.type === 'CounterAdded') return [{ type: 'CounterAdded', data: { amount: -event.data.amount } }];
  if (event?.type === 'CounterReverted' && stateBefore.status === 'open') return [{ type: 'CounterReverted', data: { state: stateBefore } }];
  throw new NotUndoableError(event?.type ?? 'the command', 'opening a counter cannot be undone');
}

export const counter = defineAggregate({
  decider: counterDecider,
  commandSchema: counterCommandSchema,
  eventSchema: counterEventSchema,
  creates: ['open'],
  touchedFields: (event) => (event.type === 'CounterAdded' ? ['total'] : ['label', 'total']),
  compensate,
  revert: {
    toRevision: (command) => (command.type === 'revert' ? command.data.toRevision : undefined),
    facts: (atRevision) => atRevision,
  },
});
