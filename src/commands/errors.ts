// Errors raised by the command pipeline itself (domain errors live in src/domain/errors.ts).

/** If-Match named a revision that is no longer current (HTTP 409). */
export class RevisionMismatchError extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`expected revision ${expected} but the current revision is ${actual}`);
    this.name = 'RevisionMismatchError';
  }
}

/** Version conflicts kept happening after every automatic retry (HTTP 409). */
export class ContentionError extends Error {
  constructor(streamName: string, attempts: number) {
    super(`${streamName} kept changing; gave up after ${attempts} attempts`);
    this.name = 'ContentionError';
  }
}
