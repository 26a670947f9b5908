import type { DomainEvent } from '../decider.js';

/** Aggregates whose every command appends one event compensate one event at a time. */
export function onlyEvent<Event extends DomainEvent>(events: Event[], aggregateType: string): Event {
  const [event] = events;
  if (events.length !== 1 || event === undefined) {
    throw new Error(`a ${aggregateType} command appends exactly one event, got ${events.length}`);
  }
  return event;
}
