import type { CommandBus } from '../../commands/command-bus.js';
import { executeCommand } from '../../commands/execute-command.js';
import type { CommandContext } from '../../events/metadata.js';
import { readMetadata } from '../../events/metadata.js';
import { streamName } from '../../events/stream-names.js';
import { deterministicUlid } from '../../agents/deterministic-id.js';
import { recordBuildResultSchema } from '../../domain/build/index.js';
import { DomainConflictError } from '../../domain/errors.js';
import type { EventStore } from '../../eventstore/port.js';
import type { ReadCollection } from '../../readstore/port.js';
import type { CiReport } from './ci-report.js';
import { buildsAtCommit } from './match-builds.js';
import { CI_DELIVERY_AGGREGATE, ciDeliveryDecider, ciDeliveryReceivedSchema, type BuildMatch, type CiDeliveryReceived } from './delivery-record.js';

export const INTEGRATION_ROLE = 'integration';

export interface DeliveryDeps {
  events: EventStore;
  commands: CommandBus;
  /** The builds read model, where a commit finds its builds. */
  builds(): ReadCollection;
}

export interface ReceivedDelivery extends CiDeliveryReceived {
  id: string;
  /** True when this delivery id was received before: nothing was done this time. */
  duplicate: boolean;
}

// Ids derived from the delivery alone, so a redelivery names the same stream and commands.
const EPOCH = new Date(0);
const deliveryStreamId = (provider: string, deliveryId: string) => deterministicUlid(EPOCH, 'ci-delivery', provider, deliveryId);

/**
 * Turns one verified CI delivery into build results, as `integration:<provider>`, through the
 * command bus. The results go first and the delivery record last: a crash in between leaves no
 * record, the vendor's redelivery does it again, and the deterministic command ids make the
 * repeated results append nothing. Once recorded, the same delivery id changes nothing.
 */
export async function receiveCiDelivery(deps: DeliveryDeps, deliveryId: string, report: CiReport): Promise<ReceivedDelivery> {
  const id = deliveryStreamId(report.provider, deliveryId);
  const stream = streamName(CI_DELIVERY_AGGREGATE, id);
  const earlier = await deps.events.readStream(stream, { maxCount: 1 });
  if (earlier.length > 0) return { id, ...ciDeliveryReceivedSchema.parse(earlier[0]!.data), duplicate: true };

  const actor = `integration:${report.provider}`;
  const builds: BuildMatch[] = [];
  if (report.outcome !== null && report.commit !== null) {
    const data = recordBuildResultSchema.parse({ outcome: report.outcome, durationMs: report.durationMs });
    for (const buildId of await buildsAtCommit(deps.builds(), report.commit, report.repository)) {
      const context = await contextFor(deps.events, actor, deterministicUlid(EPOCH, 'ci-delivery', report.provider, deliveryId, buildId), buildId);
      try {
        await deps.commands.dispatch({ aggregateType: 'build', id: buildId, command: { type: 'recordResult', data }, context });
        builds.push({ buildId, result: 'recorded', commandId: context.commandId, detail: `build ${report.outcome}` });
      } catch (error) {
        if (!(error instanceof DomainConflictError)) throw error;
        builds.push({ buildId, result: 'already_recorded', commandId: context.commandId, detail: error.message });
      }
    }
  }
  const delivery: CiDeliveryReceived = {
    ...report,
    deliveryId,
    status: report.outcome === null ? 'ignored' : builds.length > 0 ? 'matched' : 'unmatched',
    builds,
  };
  const commandId = deliveryStreamId(report.provider, `${deliveryId}:record`);
  const recorded = await executeCommand(deps.events, ciDeliveryDecider, {
    id,
    command: { type: 'record', data: delivery },
    commandType: `${CI_DELIVERY_AGGREGATE}.record`,
    context: { actor, actorRole: INTEGRATION_ROLE, commandId, correlationId: commandId, causationId: commandId },
    creates: true,
    loadFacts: async () => undefined,
  });
  // No events: a concurrent copy of the same delivery was recorded first.
  return { id, ...delivery, duplicate: recorded.events.length === 0 };
}

/** A CI result belongs to the build's story: it carries the correlation id of the build request. */
async function contextFor(events: EventStore, actor: string, commandId: string, buildId: string): Promise<CommandContext> {
  const [requested] = await events.readStream(streamName('build', buildId), { maxCount: 1 });
  const correlationId = (requested && readMetadata(requested.metadata).correlationId) || commandId;
  return { actor, actorRole: INTEGRATION_ROLE, commandId, correlationId, causationId: commandId };
}
