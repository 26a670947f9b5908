import type { Upcaster } from '../../events/upcasting/upcaster.js';
import type { BuildRequested } from './events.js';

type BuildRequestedV1 = Omit<BuildRequested, 'repository'>;

/** Builds requested before version 2 did not record their repository: it is unknown, not empty. */
const buildRequestedV1ToV2: Upcaster = {
  eventType: 'BuildRequested',
  fromVersion: 1,
  upcast: (data): BuildRequested => ({ ...(data as BuildRequestedV1), repository: null }),
};

export const buildUpcasters: Upcaster[] = [buildRequestedV1ToV2];
