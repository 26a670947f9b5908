import { expect } from 'vitest';
import type { z } from 'zod';
import { replay, type Decider, type DomainEvent } from '../../src/domain/decider.js';

type ErrorClass = new (...args: never[]) => Error;

interface Schemas {
  /** The aggregate's command union: commands are parsed as the API would before deciding. */
  commands: z.ZodType;
  /** The aggregate's event union: every decided event must be valid as recorded. */
  events: z.ZodType;
}

/**
 * Specification-style decider tests:
 *   given([...past events]).when(command, facts).then([...new events])
 *   given([...]).when(command, facts).thenThrows(ErrorClass, /message/)
 * `then` returns the state after the new events; `thenThrows` returns the error.
 */
export function scenario<State, Command, Event extends DomainEvent, Facts>(
  decider: Decider<State, Command, Event, Facts>,
  schemas: Schemas,
) {
  return function given(history: Event[]) {
    const state = replay(decider, history);
    return {
      state,
      when(command: Command, facts?: Facts) {
        const decide = () => decider.decide(schemas.commands.parse(command) as Command, state, facts as Facts);
        return {
          then(expected: Event[]): State {
            const events = decide();
            expect(events).toEqual(expected);
            for (const event of events) expect(schemas.events.parse(event)).toEqual(event);
            return replay(decider, events, state);
          },
          thenThrows(errorClass: ErrorClass, message: RegExp): Error {
            let thrown: unknown;
            try {
              decide();
            } catch (error) {
              thrown = error;
            }
            expect(thrown).toBeInstanceOf(errorClass);
            expect((thrown as Error).message).toMatch(message);
            return thrown as Error;
          },
        };
      },
    };
  };
}
