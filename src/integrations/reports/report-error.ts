/** A report document that cannot be read: answered as a 400 naming what is wrong with it. */
export class MalformedReportError extends Error {
  constructor(
    readonly format: 'JUnit XML' | 'SARIF',
    reason: string,
    readonly errors: Array<{ path: string; message: string }> = [],
  ) {
    super(`the ${format} document cannot be read: ${reason}`);
    this.name = 'MalformedReportError';
  }
}
