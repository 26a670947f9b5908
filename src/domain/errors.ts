// Errors a decider can raise; the API maps each to its HTTP status (problem+json).

/** A business rule refused the command (HTTP 422). `reasons` lists every unmet rule. */
export class DomainRuleError extends Error {
  constructor(
    message: string,
    readonly reasons: string[] = [message],
  ) {
    super(message);
    this.name = 'DomainRuleError';
  }
}

/** The command conflicts with the aggregate's current state (HTTP 409). */
export class DomainConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DomainConflictError';
  }
}

/**
 * The aggregate does not exist (HTTP 404). Deciders do not know their stream's id, so they
 * raise it without one; the pipeline, which does, names it.
 */
export class AggregateNotFoundError extends Error {
  constructor(
    readonly aggregateType: string,
    readonly id?: string,
  ) {
    super(id === undefined ? `${aggregateType} not found` : `${aggregateType} ${id} not found`);
    this.name = 'AggregateNotFoundError';
  }
}

/**
 * The command recorded a fact (a build result, a test run, a scan, a traffic shift, an
 * incident, a test plan): it happened and cannot be taken back by a compensation (HTTP 422).
 */
export class NotUndoableError extends Error {
  constructor(
    readonly eventType: string,
    message = `${eventType} records a fact and cannot be undone`,
  ) {
    super(message);
    this.name = 'NotUndoableError';
  }
}
