import {
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from '../eventstore/port.js';
import type { BackendPolicy } from './backend-policy.js';
import { isTransient } from './errors.js';
import { findAppended } from './find-appended.js';

/**
 * The EventStore port with every call guarded by the backend's policy (timeout, breaker, retry).
 *
 * Appends are the delicate case. An attempt that timed out or lost its connection may still have
 * written its events, so before trying again the decorator looks for the events' ids in the
 * stream: found means the first attempt landed and its result is returned, so nothing is appended
 * twice. A retry that is then refused (WrongExpectedRevisionError) looks once more, because the
 * first attempt may have landed in between; only when the ids are absent does the conflict reach
 * the command pipeline, which then decides again on fresh state, as for any concurrent writer.
 * Without this, a retried `advance` whose first attempt had landed would be decided again on the
 * new state and shift traffic twice.
 *
 * Subscriptions are not wrapped: they end with an error when the store fails, and their owners
 * resubscribe from their own checkpoints.
 */
export class ResilientEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    readonly policy: BackendPolicy,
  ) {}

  append(streamName: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    let attempts = 0;
    return this.policy.run(async () => {
      // Every attempt after the first follows a failure whose outcome is unknown.
      const earlierAttemptMayHaveLanded = attempts++ > 0;
      if (earlierAttemptMayHaveLanded) {
        const landed = await findAppended(this.inner, streamName, events, expected);
        if (landed) return landed;
      }
      try {
        return await this.inner.append(streamName, events, expected);
      } catch (error) {
        // A refusal of a retry (WrongExpectedRevisionError, or a store's duplicate-id error) may
        // be the earlier attempt landing in between: if our ids are there, that is our result.
        if (earlierAttemptMayHaveLanded && !isTransient(error)) {
          const landed = await findAppended(this.inner, streamName, events, expected);
          if (landed) return landed;
        }
        throw error;
      }
    });
  }

  readStream(streamName: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.policy.run(() => this.inner.readStream(streamName, options));
  }

  readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.policy.run(() => this.inner.readAll(options));
  }

  headPosition(): Promise<bigint | null> {
    return this.policy.run(() => this.inner.headPosition());
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  /** One attempt: a readiness probe should report the state, not wait it out. */
  ping(): Promise<void> {
    return this.policy.once(() => this.inner.ping());
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
