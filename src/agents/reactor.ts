import type { StoredEvent } from '../eventstore/port.js';
import { decodeEvent, dispatchEvent, handledTypes, type EventHandlers } from '../events/typed-events.js';

/**
 * Something that reacts to the global log in order, from its own checkpoint: an agent turning
 * events into commands, or a process manager. Reacting to an event again must change nothing.
 */
export interface Reactor {
  /** `agent:<name>`: names its checkpoint, and is the actor of the commands it issues. */
  readonly name: string;
  /**
   * The event types it reacts to; the others only move its checkpoint. Absent for a reactor whose
   * types are only known at run time (webhook subscriptions): it sees every event and filters itself.
   */
  readonly canHandle?: readonly string[];
  react(event: StoredEvent): Promise<void>;
  /** Optional background duties (timers, sweeps) while the reactor runs. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/** A reactor whose event types are declared up front. */
export type TypedReactor = Reactor & { readonly canHandle: readonly string[] };

/** A reactor made of one handler per event type; it reacts to exactly those types. */
export function reactorOf(name: string, handlers: EventHandlers<void>): TypedReactor {
  return {
    name,
    canHandle: handledTypes(handlers),
    react: (event) => dispatchEvent(handlers, decodeEvent(event), undefined),
  };
}
