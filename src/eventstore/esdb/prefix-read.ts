// readAll with a stream prefix, filtered on the server. Client 6.x cannot filter a plain $all
// read, but it can filter a subscription: this one reads until the server says it has caught
// up with the log (CaughtUp, sent by servers 23.10+) or until maxCount events, then unsubscribes.
import { START, streamNameFilter, type AllStreamResolvedEvent, type EventStoreDBClient } from '@eventstore/db-client';
import { BackendUnavailableError } from '../../backends/errors.js';
import { type StoredEvent } from '../port.js';
import { fromPortPosition, isSystemEvent, toStoredEvent } from './conversions.js';
import { BACKEND } from './esdb-errors.js';

export function readAllByStreamPrefix(
  client: EventStoreDBClient,
  streamPrefix: string,
  after: bigint | null,
  maxCount: number,
  timeoutMs: number,
): Promise<StoredEvent[]> {
  if (maxCount <= 0) return Promise.resolve([]);
  const subscription = client.subscribeToAll({
    fromPosition: after === null ? START : fromPortPosition(after),
    filter: streamNameFilter({ prefixes: [streamPrefix] }),
  });
  return new Promise((resolve, reject) => {
    const found: StoredEvent[] = [];
    /** Events already received but not yet handed to us when CaughtUp arrived; null before that. */
    let pendingBeforeCaughtUp: number | null = null;
    let settled = false;
    const timer = setTimeout(
      () => finish(new BackendUnavailableError(BACKEND, `no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );

    function finish(error?: unknown): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void subscription.unsubscribe();
      if (error === undefined) resolve(found);
      else reject(error);
    }

    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (settled) return;
      try {
        if (resolved.event && !isSystemEvent(resolved.event)) found.push(toStoredEvent(resolved.event));
      } catch (error) {
        finish(error);
        return;
      }
      if (pendingBeforeCaughtUp !== null) pendingBeforeCaughtUp--;
      if (found.length >= maxCount || pendingBeforeCaughtUp === 0) finish();
    });
    subscription.on('caughtUp', () => {
      // Events before CaughtUp may still sit in the stream's buffer: wait for them too.
      pendingBeforeCaughtUp = subscription.readableLength;
      if (pendingBeforeCaughtUp === 0) finish();
    });
    subscription.on('error', (error: Error) => finish(error));
  });
}
