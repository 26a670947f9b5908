/** No projection has this name (HTTP 404). */
export class UnknownProjectionError extends Error {
  constructor(readonly projection: string) {
    super(`no projection is named '${projection}'`);
    this.name = 'UnknownProjectionError';
  }
}

/** A rebuild of these projections is already requested or running (HTTP 409). */
export class RebuildConflictError extends Error {
  constructor(readonly projections: string[]) {
    super(`a rebuild is already requested or running for: ${projections.join(', ')}`);
    this.name = 'RebuildConflictError';
  }
}

/** The live generation cannot take writes right now, e.g. while a new code version is being built (HTTP 409). */
export class ProjectionNotWritableError extends Error {
  constructor(projection: string, reason: string) {
    super(`projection '${projection}' cannot retry parked events now: ${reason}`);
    this.name = 'ProjectionNotWritableError';
  }
}
