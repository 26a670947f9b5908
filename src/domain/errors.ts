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

/** The aggregate does not exist (HTTP 404). */
export class AggregateNotFoundError extends Error {
  constructor(
    readonly aggregateType: string,
    readonly id: string,
  ) {
    super(`${aggregateType} ${id} not found`);
    this.name = 'AggregateNotFoundError';
  }
}
