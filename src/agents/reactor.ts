import type { StoredEvent } from '../eventstore/port.js';

/**
 * Something that reacts to the global log in order, from its own checkpoint: an agent turning
 * events into commands, or a process manager. Reacting to an event again must change nothing.
 */
export interface Reactor {
  /** `agent:<name>`: names its checkpoint, and is the actor of the commands it issues. */
  readonly name: string;
  /** Events it reacts to; the others only move its checkpoint. */
  handles(event: StoredEvent): boolean;
  react(event: StoredEvent): Promise<void>;
  /** Optional background duties (timers, sweeps) while the reactor runs. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
