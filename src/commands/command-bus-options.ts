import type { Env } from '../config/env.js';
import type { ReadStore } from '../readstore/port.js';
import type { CommandBusOptions } from './command-bus.js';
import { ReadStoreSnapshots } from './snapshots.js';

/** The bus as a process runs it: snapshots in the read store, every SNAPSHOT_EVERY events. */
export function commandBusOptions(env: Pick<Env, 'SNAPSHOT_EVERY'>, readStore: ReadStore): CommandBusOptions {
  return env.SNAPSHOT_EVERY > 0 ? { snapshots: new ReadStoreSnapshots(readStore), snapshotEvery: env.SNAPSHOT_EVERY } : {};
}
