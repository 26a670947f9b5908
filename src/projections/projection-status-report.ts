import type { EventStore } from '../eventstore/port.js';
import type { Projection } from './projection.js';
import { generationKey } from './projection-generation.js';
import { liveGeneration, type ProjectionRegistry } from './projection-registry.js';
import type { ParkedEvents } from './projection-parking.js';
import type { StallDetector } from './projection-stall.js';
import { projectionState, type ProjectionStatus, type RebuildStatus } from './projection-status.js';
import type { LiveProjections } from './live-projections.js';
import type { RebuildClaim, RebuildClaims } from './rebuild/rebuild-claims.js';
import type { RebuildCoordinator } from './rebuild/rebuild-coordinator.js';

export interface StatusReportDeps {
  events: EventStore;
  registry: ProjectionRegistry;
  claims: RebuildClaims;
  parked: ParkedEvents;
  coordinator: RebuildCoordinator;
  live: LiveProjections;
  stalls: StallDetector;
  /** The process holding the projection's lease, if any. */
  heldBy(name: string): string | null;
  /** Projections run here; else the registry says which generation a worker made live. */
  run: boolean;
  stallAfterMs: number;
}

/** Every projection's live generation, checkpoint, lag, state, parked count and rebuild. */
export async function projectionStatuses(deps: StatusReportDeps, projections: Projection[]): Promise<ProjectionStatus[]> {
  const head = await deps.events.headPosition();
  const entries = await deps.registry.entries();
  const claims = new Map((await deps.claims.all()).map((claim) => [claim.id, claim]));
  const statuses: ProjectionStatus[] = [];
  for (const projection of projections) {
    const name = projection.name;
    const entry = entries.get(name) ?? null;
    if (entry && !deps.run) deps.live.know(name, liveGeneration(entry));
    const generation = deps.live.generationOf(projection);
    const { position } = await deps.live.checkpointOf(projection);
    const lag = head === null ? 0 : Math.max(0, Number(head - (position ?? 0n)));
    const claim = claims.get(name) ?? null;
    const rebuild = rebuildStatus(deps, claim);
    const runner = deps.live.runnerOf(name);
    const lastError = runner ? runner.lastError : (entry?.lastError ?? null);
    statuses.push({
      name,
      version: generation.version,
      generation: generationKey(generation),
      codeVersion: projection.version,
      checkpoint: position === null ? null : position.toString(),
      lag,
      status: projectionState({ lastError, stalled: lag > 0 && deps.stalls.isStalled(name), rebuilding: rebuild !== null, rebuildStalled: rebuildStalled(deps, claim), lag }),
      lastError,
      parked: await deps.parked.count(name, generation),
      rebuild,
      lastRebuild: entry?.lastRebuild ?? null,
      heldBy: deps.heldBy(name),
    });
  }
  return statuses;
}

function rebuildStatus(deps: StatusReportDeps, claim: RebuildClaim | null): RebuildStatus | null {
  if (!claim) return null;
  const running = deps.coordinator.runningTarget(claim.id);
  return {
    id: claim.rebuildId,
    reason: claim.reason,
    state: claim.status,
    targetGeneration: claim.target ? generationKey(claim.target) : null,
    owner: claim.owner,
    requestedAt: claim.requestedAt,
    startedAt: claim.startedAt,
    // This process's own rebuild is reported live; another's as of its last heartbeat.
    progress: running?.job.progress ?? claim.progress,
    lastError: running?.job.lastError ?? null,
  };
}

/** No process has built it for the stall period: requested and never picked up, or its owner stopped beating. */
function rebuildStalled(deps: StatusReportDeps, claim: RebuildClaim | null): boolean {
  if (!claim || deps.coordinator.runningTarget(claim.id)) return false;
  const lastSign = Date.parse(claim.heartbeatAt ?? claim.requestedAt);
  return Date.now() - lastSign > deps.stallAfterMs;
}
