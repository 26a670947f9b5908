import { FIRST_SCHEMA_VERSION, type Upcaster } from './upcaster.js';

/** An event written by a newer release than this one: its shape cannot be guessed. */
export class UnknownSchemaVersionError extends Error {
  constructor(
    readonly eventType: string,
    readonly version: unknown,
    readonly currentVersion: number,
  ) {
    super(`${eventType} has schema version ${String(version)}, but this release reads versions ${FIRST_SCHEMA_VERSION} to ${currentVersion} only`);
    this.name = 'UnknownSchemaVersionError';
  }
}

/**
 * The upcasters of every event type, in order. An event type's current version is 1 plus the
 * number of its steps, and data of any earlier version passes through each later step in turn.
 */
export class UpcasterChain {
  private readonly steps = new Map<string, Upcaster[]>();

  constructor(upcasters: readonly Upcaster[]) {
    for (const upcaster of upcasters) {
      const steps = this.steps.get(upcaster.eventType) ?? [];
      steps.push(upcaster);
      this.steps.set(upcaster.eventType, steps);
    }
    for (const [eventType, steps] of this.steps) {
      steps.sort((a, b) => a.fromVersion - b.fromVersion);
      // A gap or a duplicate would leave some version with no way, or two ways, forward.
      steps.forEach((step, index) => {
        if (step.fromVersion !== FIRST_SCHEMA_VERSION + index) {
          throw new Error(`the upcasters of ${eventType} must start at version ${FIRST_SCHEMA_VERSION} and go up one version at a time: found ${steps.map((s) => s.fromVersion).join(', ')}`);
        }
      });
    }
  }

  /** The version new events of this type are written in. */
  currentVersion(eventType: string): number {
    return FIRST_SCHEMA_VERSION + (this.steps.get(eventType)?.length ?? 0);
  }

  /** Whether any version of this type is older than its current one. */
  hasUpcasters(eventType: string): boolean {
    return this.steps.has(eventType);
  }

  /** The data of `version` in the current shape; UnknownSchemaVersionError for a version it does not know. */
  upcast(eventType: string, version: number, data: unknown): unknown {
    const current = this.currentVersion(eventType);
    if (!Number.isInteger(version) || version < FIRST_SCHEMA_VERSION || version > current) {
      throw new UnknownSchemaVersionError(eventType, version, current);
    }
    const steps = this.steps.get(eventType) ?? [];
    let upcast = data;
    for (let from = version; from < current; from++) upcast = steps[from - FIRST_SCHEMA_VERSION]!.upcast(upcast);
    return upcast;
  }
}
