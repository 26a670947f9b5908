import type { Logger } from 'pino';
import type { EventStore } from '../eventstore/port.js';
import type { ReadStore } from '../readstore/port.js';
import type { ProjectionService } from '../projections/projection-service.js';
import type { Metrics } from '../observability/metrics.js';
import type { CommandBus } from '../commands/command-bus.js';
import type { InboundSettings } from '../integrations/inbound/settings.js';

/** Everything the HTTP layer needs, wired once in src/app/ (composition root). */
export interface AppDeps {
  events: EventStore;
  commands: CommandBus;
  readStore: ReadStore;
  projections: ProjectionService;
  logger: Logger;
  metrics: Metrics;
  authSecret: string;
  rateLimit: { rps: number; burst: number };
  bodyLimitBytes: number;
  /** Backends reported by /ready, each with a probe that throws when unreachable. */
  backends: Array<{ name: string; kind: string; ping(): Promise<void>; circuit?(): string }>;
  /** Secrets of the inbound CI webhooks; unset, those endpoints answer 404. */
  integrations?: InboundSettings;
  /** The console may mint tokens itself (embedded default, generated secret, loopback only). */
  localSignIn?: boolean;
}
