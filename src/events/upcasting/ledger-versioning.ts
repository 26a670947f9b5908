import { eventDataSchemas } from '../event-schemas.js';
import { buildUpcasters } from '../../domain/build/upcasters.js';
import { UpcasterChain } from './upcaster-chain.js';
import type { Upcaster } from './upcaster.js';
import type { EventVersioning } from './versioned-event-store.js';

/** Every aggregate's upcasters; each aggregate keeps its own beside its events. */
export const ledgerUpcasters: Upcaster[] = [...buildUpcasters];

export const ledgerVersioning: EventVersioning = { schemas: eventDataSchemas, upcasters: new UpcasterChain(ledgerUpcasters) };
