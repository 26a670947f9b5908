import type { CommandBus } from '../commands/command-bus.js';
import type { CommandResult } from '../commands/execute-command.js';
import { readMetadata, type CommandContext } from '../events/metadata.js';
import type { DomainCommand } from '../domain/decider.js';
import { DomainConflictError } from '../domain/errors.js';
import type { StoredEvent } from '../eventstore/port.js';
import { deterministicUlid } from './deterministic-id.js';

const AGENT_ROLE = 'agent';

/** The event a command is caused by: stored, or as a handler received it. */
type Cause = Pick<StoredEvent, 'id' | 'metadata' | 'recordedAt'>;

export interface AgentCommand {
  aggregateType: string;
  id: string;
  /** Already validated with the domain's command schema, as the API would. */
  command: DomainCommand;
  /** Names this command among several caused by the same event. */
  step?: string;
  /** If-Match for agents: refuse the command when the aggregate moved since it was read. */
  expectedRevision?: number;
}

/**
 * An agent acting through the command bus like any other actor, so its work is validated by the
 * deciders, stamped with metadata, audited and undoable. Everything about a command is derived
 * from the event that caused it: reacting to that event again issues the very same command.
 */
export class AgentActor {
  constructor(
    /** `agent:<name>` */
    readonly actor: string,
    private readonly commands: CommandBus,
  ) {}

  /** Metadata of a command caused by `cause`: same event and step, same command id. */
  context(cause: Cause, step = '', expectedRevision?: number): CommandContext {
    const meta = readMetadata(cause.metadata);
    const commandId = deterministicUlid(eventTime(cause), this.actor, cause.id, step);
    return {
      actor: this.actor,
      actorRole: AGENT_ROLE,
      commandId,
      correlationId: meta.correlationId ?? cause.id,
      causationId: cause.id,
      ...(expectedRevision === undefined ? {} : { expectedRevision }),
      // The cause's trace goes on in the command, also where this process records no spans.
      ...(meta.traceparent === undefined ? {} : { traceparent: meta.traceparent }),
    };
  }

  /**
   * Issues the command. A creating command that finds its aggregate already created was done by
   * an earlier reaction to the same event: that is success, answered with null.
   */
  async issue(cause: Cause, request: AgentCommand): Promise<CommandResult | null> {
    try {
      return await this.commands.dispatch({
        aggregateType: request.aggregateType,
        id: request.id,
        command: request.command,
        context: this.context(cause, request.step, request.expectedRevision),
      });
    } catch (error) {
      if (error instanceof DomainConflictError && this.commands.creates(request.aggregateType, request.command.type)) return null;
      throw error;
    }
  }

  /** A deterministic aggregate id for something this agent creates because of `cause`. */
  idFor(cause: Cause, ...parts: string[]): string {
    return deterministicUlid(eventTime(cause), this.actor, ...parts);
  }
}

/** When the event happened by its command's clock (the store's clock otherwise). */
export function eventTime(event: Pick<StoredEvent, 'metadata' | 'recordedAt'>): Date {
  const at = readMetadata(event.metadata).at;
  const parsed = at === undefined ? Number.NaN : Date.parse(at);
  return Number.isNaN(parsed) ? event.recordedAt : new Date(parsed);
}
