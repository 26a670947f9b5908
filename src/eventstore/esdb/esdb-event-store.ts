// The EventStore port on EventStoreDB / KurrentDB through @eventstore/db-client: one stream per
// aggregate, $all as the global log with the server's own events left out.
import { BACKWARDS, END, type EventStoreDBClient } from '@eventstore/db-client';
import type { Logger } from 'pino';
import { BackendUnavailableError } from '../../backends/errors.js';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from '../port.js';
import { assertNonNegativeInteger, toClientExpectedRevision, toEventData, toRevisionNumber } from './conversions.js';
import { connectEsdbClient } from './esdb-client.js';
import { BACKEND, InvalidLogPositionError, isUnreadablePosition, translateError, withDeadline } from './esdb-errors.js';
import { collect, readAllEvents, readHeadPosition, readStreamEvents } from './log-reads.js';
import { readAllByStreamPrefix } from './prefix-read.js';
import { DEFAULT_RESUBSCRIBE_DELAYS, ResilientAllSubscription, type ResubscribeDelays } from './resilient-subscription.js';

export interface EsdbEventStoreOptions {
  /** EVENTSTORE_URL, e.g. esdb://localhost:2113?tls=false */
  connectionString: string;
  /** Longest wait for one request before the store counts as unavailable (default 5 s). */
  requestTimeoutMs?: number;
  resubscribeDelays?: ResubscribeDelays;
  logger?: Pick<Logger, 'warn'>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

export function openEsdbEventStore(options: EsdbEventStoreOptions): EventStore {
  return new EsdbEventStore(connectEsdbClient(options.connectionString), options);
}

class EsdbEventStore implements EventStore {
  private readonly timeoutMs: number;
  private readonly subscriptions = new Set<Subscription>();

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EsdbEventStoreOptions,
  ) {
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  async append(streamName: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError(`stream ${streamName}: an append needs at least one event`);
    const expectedRevision = toClientExpectedRevision(expected);
    const eventData = events.map(toEventData);
    try {
      const result = await withDeadline(
        this.client.appendToStream(streamName, eventData, { expectedRevision, deadline: this.timeoutMs }),
        this.timeoutMs,
      );
      // Only when the connection string sets throwOnAppendFailure=false.
      if (!result.success) throw new WrongExpectedRevisionError(streamName, expected, await this.currentRevision(streamName));
      if (!result.position) throw new Error(`stream ${streamName}: the server did not report the position of the append`);
      return { nextRevision: toRevisionNumber(result.nextExpectedRevision, streamName), position: result.position.commit };
    } catch (error) {
      throw translateError(error, { streamName, expected });
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    assertNonNegativeInteger('fromRevision', options.fromRevision);
    assertNonNegativeInteger('maxCount', options.maxCount);
    // The server refuses a count of 0 (its reader wants a positive one); nothing is what was asked.
    if (options.maxCount === 0) return [];
    try {
      return await readStreamEvents(this.client, streamName, options, this.timeoutMs);
    } catch (error) {
      throw translateError(error);
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    assertNonNegativeInteger('maxCount', options.maxCount);
    const after = options.after ?? null;
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    try {
      if (options.streamPrefix !== undefined) {
        return await readAllByStreamPrefix(this.client, options.streamPrefix, after, maxCount, this.timeoutMs);
      }
      return await readAllEvents(this.client, after, maxCount, this.timeoutMs);
    } catch (error) {
      if (after !== null && isUnreadablePosition(error)) throw new InvalidLogPositionError(after, { cause: error });
      throw translateError(error);
    }
  }

  async headPosition(): Promise<bigint | null> {
    try {
      return await readHeadPosition(this.client, this.timeoutMs);
    } catch (error) {
      throw translateError(error);
    }
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const subscription = new ResilientAllSubscription(
      this.client,
      options,
      this.options.resubscribeDelays ?? DEFAULT_RESUBSCRIBE_DELAYS,
      this.options.logger,
      this.timeoutMs,
    );
    this.subscriptions.add(subscription);
    void subscription.done.catch(() => undefined).finally(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async ping(): Promise<void> {
    try {
      await collect(this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }), this.timeoutMs);
    } catch (error) {
      if (error instanceof BackendUnavailableError) throw error;
      throw new BackendUnavailableError(BACKEND, error instanceof Error ? error.message : String(error), { cause: error });
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  private async currentRevision(streamName: string): Promise<number | 'no_stream'> {
    const [last] = await this.readStream(streamName, { direction: 'backwards', maxCount: 1 });
    return last ? last.revision : 'no_stream';
  }
}
