import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EventStore } from '../../eventstore/port.js';
import { buildDecider } from '../../domain/build/index.js';
import { deploymentDecider, type DeploymentCommand, type DeploymentFacts, type DeploymentState } from '../../domain/deployment/index.js';
import type { StateReader } from '../load-current.js';
import type { EventMetadata } from '../../events/metadata.js';
import type { AggregateIO } from '../aggregate-io.js';

/**
 * "One deployment in progress per environment" spans aggregates, so no single deployment stream
 * can guard it. Each environment has a reservation stream, `environment-<name>`: a start appends
 * EnvironmentReserved there with the expected revision it read, so of two starts racing in any
 * number of processes exactly one reserves, and the other decides again on the new reservation.
 */
export const RESERVATION = 'EnvironmentReserved';

/** A reservation younger than this whose deployment stream does not exist yet is a start in flight. */
const START_IN_FLIGHT_MS = 30_000;

const reservationSchema = z.object({ deploymentId: z.string(), buildId: z.string(), version: z.string() });
type Reservation = z.infer<typeof reservationSchema>;

export interface DeploymentStartFacts extends DeploymentFacts {
  /** Revision of the environment's reservation stream as read (-1: none yet). */
  reservationRevision: number;
  /** This start reserved already (an earlier attempt of the same command). */
  reserved: boolean;
}

export function reservationStream(environment: string): string {
  return `environment-${environment}`;
}

/** The gates' facts, read from the event store: the build, and the environments' reservations. */
export async function loadDeploymentStartFacts(
  events: EventStore,
  read: StateReader,
  command: { buildId: string; environment: string },
  deploymentId: string,
  now: Date = new Date(),
): Promise<DeploymentStartFacts> {
  const build = (await read(buildDecider, command.buildId)).state;

  const reservations = await events.readStream(reservationStream(command.environment));
  const latest = reservations[reservations.length - 1];
  const inProgressInEnvironment: string[] = [];
  const reserved = latest !== undefined && reservationSchema.parse(latest.data).deploymentId === deploymentId;
  if (latest && !reserved) {
    const { deploymentId } = reservationSchema.parse(latest.data);
    const deployment = await read(deploymentDecider, deploymentId);
    const reservedAt = Date.parse(String(latest.metadata.at ?? latest.recordedAt.toISOString()));
    const startInFlight = deployment.revision < 0 && now.getTime() - reservedAt < START_IN_FLIGHT_MS;
    if (deployment.state.status === 'in_progress' || startInFlight) inProgressInEnvironment.push(deploymentId);
  }

  // Production's gate: a succeeded staging deployment of the same build.
  const staging = command.environment === 'staging' ? reservations : await events.readStream(reservationStream('staging'));
  let stagingSucceededForBuild = false;
  for (const reservation of staging) {
    const { deploymentId, buildId } = reservationSchema.parse(reservation.data);
    if (buildId !== command.buildId) continue;
    if ((await read(deploymentDecider, deploymentId)).state.status === 'succeeded') {
      stagingSucceededForBuild = true;
      break;
    }
  }
  return { build, stagingSucceededForBuild, inProgressInEnvironment, reservationRevision: latest ? latest.revision : -1, reserved };
}

/** Appends the reservation; WrongExpectedRevisionError when another start reserved first. */
export async function reserveEnvironment(
  events: EventStore,
  command: { buildId: string; environment: string; version: string },
  deploymentId: string,
  facts: DeploymentStartFacts,
  metadata: EventMetadata,
): Promise<void> {
  if (facts.reserved) return;
  const data: Reservation = { deploymentId, buildId: command.buildId, version: command.version };
  await events.append(
    reservationStream(command.environment),
    [{ id: randomUUID(), type: RESERVATION, data, metadata }],
    facts.reservationRevision < 0 ? 'no_stream' : facts.reservationRevision,
  );
}

/** What a deployment start reads and reserves; every other deployment command needs nothing. */
export const deploymentIO: AggregateIO<DeploymentState, DeploymentCommand, DeploymentStartFacts | undefined> = {
  // Reservations make starts safe across processes; queueing them here saves retries.
  serializeBy: (command) => (command.type === 'start' ? `environment:${command.data.environment}` : undefined),
  loadFacts: async (events, command, current, read) =>
    command.type === 'start' ? loadDeploymentStartFacts(events, read, command.data, current.id) : undefined,
  beforeAppend: async (events, command, id, facts, metadata) => {
    if (command.type === 'start' && facts) await reserveEnvironment(events, command.data, id, facts, metadata);
  },
};
