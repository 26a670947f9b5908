// Before a subscription starts from a checkpoint, the checkpoint is checked against the log. The
// server does not refuse a checkpoint beyond the head: 24.10 goes live and skips every new event up
// to it, 23.10 delivers events older than the checkpoint. Either way a consumer would silently miss
// or misplace events, so both cases fail loudly here instead.
import { BACKWARDS, END, FORWARDS, type EventStoreDBClient, type Position } from '@eventstore/db-client';
import { CheckpointAheadOfLogError, InvalidLogPositionError, isUnreadablePosition } from './esdb-errors.js';
import { collect } from './log-reads.js';

export async function verifyStartPosition(client: EventStoreDBClient, position: Position, timeoutMs: number): Promise<void> {
  const [last] = await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }), timeoutMs);
  const lastPosition = last?.event?.position.commit ?? null;
  if (lastPosition === null || position.commit > lastPosition) throw new CheckpointAheadOfLogError(position.commit, lastPosition);
  let first;
  try {
    [first] = await collect(client.readAll({ fromPosition: position, direction: FORWARDS, maxCount: 1 }), timeoutMs);
  } catch (error) {
    if (isUnreadablePosition(error)) throw new InvalidLogPositionError(position.commit, { cause: error });
    throw error;
  }
  // A forwards read starts with the record at its position, so anything else means there is none.
  if (first?.event?.position.commit !== position.commit) throw new InvalidLogPositionError(position.commit);
}
