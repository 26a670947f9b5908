import { z } from 'zod';
import type { Decider } from '../../domain/decider.js';

// Every verified CI delivery is recorded as one event in its own stream, named after the vendor's
// delivery id: the stream's existence is the deduplication state, kept in the log with everything
// else (it survives restarts, backups and a move to another event store) and readable at once,
// without waiting for a projection.

export const CI_DELIVERY_AGGREGATE = 'cidelivery';

export const buildMatchSchema = z.object({
  buildId: z.string(),
  /** recorded: the build result was recorded; already_recorded: the build had its result. */
  result: z.enum(['recorded', 'already_recorded']),
  commandId: z.string(),
  detail: z.string(),
});
export type BuildMatch = z.infer<typeof buildMatchSchema>;

export const ciDeliveryReceivedSchema = z.object({
  provider: z.enum(['github', 'gitlab']),
  deliveryId: z.string(),
  event: z.string(),
  run: z.string(),
  repository: z.string().nullable(),
  commit: z.string().nullable(),
  outcome: z.enum(['succeeded', 'failed']).nullable(),
  durationMs: z.number(),
  note: z.string().nullable(),
  /** matched: turned into build results; unmatched: no build of that commit; ignored: no result in it. */
  status: z.enum(['matched', 'unmatched', 'ignored']),
  builds: z.array(buildMatchSchema),
});
export type CiDeliveryReceived = z.infer<typeof ciDeliveryReceivedSchema>;

type CiDeliveryState = { received: false } | { received: true; delivery: CiDeliveryReceived };
type CiDeliveryCommand = { type: 'record'; data: CiDeliveryReceived };
type CiDeliveryEvent = { type: 'CiDeliveryReceived'; data: CiDeliveryReceived };

/** A delivery is recorded once: a replay of it decides nothing. */
export const ciDeliveryDecider: Decider<CiDeliveryState, CiDeliveryCommand, CiDeliveryEvent> = {
  aggregateType: CI_DELIVERY_AGGREGATE,
  initialState: { received: false },
  evolve: (_state, event) => ({ received: true, delivery: event.data }),
  decide: (command, state) => (state.received ? [] : [{ type: 'CiDeliveryReceived', data: command.data }]),
};
