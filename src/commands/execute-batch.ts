import { WrongExpectedRevisionError, type EventStore, type EventToAppend } from '../eventstore/port.js';
import type { Decider, DomainCommand, DomainEvent } from '../domain/decider.js';
import { AggregateNotFoundError } from '../domain/errors.js';
import type { CommandContext, EventMetadata } from '../events/metadata.js';
import { streamName } from '../events/stream-names.js';
import { RevisionMismatchError } from './errors.js';
import { commandMetadata, earlierResult, result, toAppend, type CommandResult } from './execute-command.js';
import { loadAggregate } from './load-aggregate.js';
import { context, type Context } from '@opentelemetry/api';
import { inSpan, inSpanSync, linksTo } from '../observability/tracing.js';
import { loadCurrent, rememberState, type CurrentAggregate, type CurrentSources } from './load-current.js';

/** One command waiting in a stream's queue. */
export interface QueuedCommand {
  command: DomainCommand;
  /** Command type as recorded in metadata, e.g. 'feature.update'. */
  commandType: string;
  context: CommandContext;
  /** The command's own span: its decision is traced there; the shared load and append link to it. */
  trace: Context;
  /** A creating command runs on a missing stream; any other answers 404 there. */
  creates: boolean;
  loadFacts(current: CurrentAggregate<unknown>): Promise<unknown>;
  beforeAppend(facts: unknown, metadata: EventMetadata): Promise<void>;
}

export type Outcome = { ok: true; result: CommandResult } | { ok: false; error: unknown };

/** What one command of the batch comes to, before the append says where its events landed. */
type Plan =
  | { kind: 'answered'; result: CommandResult }
  | { kind: 'failed'; error: unknown }
  /** No events: the stream's revision when it was decided, and whether the batch had appended before it. */
  | { kind: 'unchanged'; revision: number; position: bigint; afterBatchEvents: boolean }
  | { kind: 'appends'; revision: number; types: string[]; created: boolean };

/**
 * Decides the commands queued on one stream one after another, each on the state its
 * predecessors left, and appends all their events in one write with one expected revision, so a
 * busy aggregate pays one durable commit for the whole queue. Each command keeps its own
 * metadata, idempotency and answer; a command the decider refuses fails alone.
 * Returns 'conflict' when the stream moved on meanwhile (another process appended): nothing of
 * the batch is written then, and the caller runs each command again on its own.
 */
export async function executeBatch(
  store: EventStore,
  decider: Decider<unknown, DomainCommand, DomainEvent, unknown>,
  id: string,
  queued: readonly QueuedCommand[],
  sources: CurrentSources,
  clock: () => Date = () => new Date(),
): Promise<Outcome[] | 'conflict'> {
  const stream = streamName(decider.aggregateType, id);
  const parent = queued[0]?.trace ?? context.active();
  const links = linksTo(queued.slice(1).map((entry) => entry.trace));
  const loaded = await inSpan('load', () => loadCurrent(store, decider, id, sources), { parent, links });
  let working: CurrentAggregate<unknown> = loaded;
  const writes: EventToAppend[] = [];
  const plans: Plan[] = [];
  const planned = new Map<string, Plan>();

  for (const entry of queued) {
    const { context } = entry;
    try {
      const sameCommand = planned.get(context.commandId);
      if (sameCommand) {
        plans.push(sameCommand);
        continue;
      }
      if (loaded.commandIds.mayContain(context.commandId)) {
        // Probably a retry of a command already appended: only the events can say what it was.
        const earlier = earlierResult(decider.aggregateType, await loadAggregate(store, decider, id), context);
        if (earlier) {
          plans.push({ kind: 'answered', result: earlier });
          continue;
        }
      }
      if (working.revision < 0 && !entry.creates) throw new AggregateNotFoundError(decider.aggregateType, id);
      if (context.expectedRevision !== undefined && context.expectedRevision !== working.revision) {
        throw new RevisionMismatchError(context.expectedRevision, working.revision);
      }
      const facts = await entry.loadFacts(working);
      const decidedOn = working.state;
      const events = inSpanSync('decide', () => decider.decide(entry.command, decidedOn, facts), entry.trace);
      if (events.length === 0) {
        plans.push({ kind: 'unchanged', revision: working.revision, position: working.position, afterBatchEvents: writes.length > 0 });
        continue;
      }
      const metadata = commandMetadata(context, entry.commandType, clock);
      await entry.beforeAppend(facts, metadata);
      let state = working.state;
      for (const event of events) state = decider.evolve(state, event);
      const plan: Plan = { kind: 'appends', revision: working.revision + events.length, types: events.map((e) => e.type), created: working.revision < 0 };
      working = { ...working, state, revision: plan.revision };
      writes.push(...toAppend(events, metadata));
      plans.push(plan);
      planned.set(context.commandId, plan);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return 'conflict';
      plans.push({ kind: 'failed', error });
    }
  }

  const answer = (batchPosition: bigint) => (plan: Plan, index: number) => outcome(plan, queued[index]!.context, decider.aggregateType, id, batchPosition);
  if (writes.length === 0) return plans.map(answer(loaded.position));
  let position: bigint;
  try {
    position = (await inSpan('append', () => store.append(stream, writes, loaded.revision < 0 ? 'no_stream' : loaded.revision), { parent, links })).position;
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) return 'conflict';
    // Nothing was written: the commands whose answer rests on the batch's events fail with it.
    const dependsOnWrite = (plan: Plan) => plan.kind === 'appends' || (plan.kind === 'unchanged' && plan.afterBatchEvents);
    return plans.map((plan, index) => (dependsOnWrite(plan) ? { ok: false, error } : answer(loaded.position)(plan, index)));
  }
  for (const write of writes) loaded.commandIds.add(write.metadata.commandId as string);
  rememberState(stream, loaded.revision, { state: working.state, revision: working.revision, position, commandIds: loaded.commandIds }, sources);
  // The store gives the position of the batch's last event only; every answer that depends on the
  // batch carries it, which is at or after its own events (enough for ?consistentWith).
  return plans.map(answer(position));
}

function outcome(plan: Plan, context: CommandContext, aggregateType: string, id: string, batchPosition: bigint): Outcome {
  switch (plan.kind) {
    case 'answered':
      return { ok: true, result: plan.result };
    case 'failed':
      return { ok: false, error: plan.error };
    case 'unchanged':
      return { ok: true, result: result(aggregateType, id, plan.revision, plan.afterBatchEvents ? batchPosition : plan.position, context, [], false) };
    case 'appends':
      return { ok: true, result: result(aggregateType, id, plan.revision, batchPosition, context, plan.types, plan.created) };
  }
}
