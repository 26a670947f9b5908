import type { Doc } from '../readstore/port.js';
import type { StoredEvent } from '../eventstore/port.js';
import type { AppDeps } from './deps.js';
import { readMetadata } from '../events/metadata.js';
import { streamName } from '../events/stream-names.js';
import { findCommand } from './command-log.js';
import { ApiError } from './error-handler.js';

/** One command in a causation tree: its events, and under each event the commands it caused. */
export interface TraceCommand {
  commandId: string;
  commandType: string | null;
  actor: string | null;
  aggregateType: string;
  aggregateId: string;
  at: string | null;
  undoOf: string | null;
  events: TraceEvent[];
}

export interface TraceEvent {
  eventId: string;
  type: string;
  revision: number;
  position: string;
  summary: string;
  caused: TraceCommand[];
}

const MAX_ENTRIES = 5000;

/**
 * The causation tree under a command. Every command of one correlation shares its correlation id,
 * and an agent's command names the event that caused it as its causationId: the audit timeline
 * gives the correlated entries, and their streams give the event ids that link them.
 */
export interface CommandTrace {
  correlationId: string;
  /** More entries share the correlation than one trace reads. */
  truncated: boolean;
  root: TraceCommand;
  /**
   * Other trees of the same correlation whose first command was not caused by an event under
   * `root`: e.g. results a CI system recorded for a pipeline run under the run's correlation id.
   */
  joined: TraceCommand[];
}

export async function commandTrace(deps: AppDeps, commandId: string): Promise<CommandTrace> {
  const command = await findCommand(deps, commandId);
  const correlationId = String(command.correlationId ?? commandId);
  const head = await deps.events.headPosition();
  if (head !== null) await deps.projections.waitFor('audit', head, 5000);
  const entries = await deps.projections.collection('audit').find({ correlationId }, { sort: [['id', 1]], limit: MAX_ENTRIES });
  const stored = await eventsOf(deps, entries);

  const byCommand = new Map<string, TraceCommand>();
  const byCause = new Map<string, TraceCommand[]>();
  for (const entry of entries) {
    // Environment reservations are bookkeeping of a deployment start, not a step of the story.
    if (entry.aggregateType === 'environment') continue;
    const event = stored.get(`${streamName(String(entry.aggregateType), String(entry.aggregateId))}@${entry.revision}`);
    const id = String(entry.commandId ?? '');
    if (!event || !id) continue;
    let node = byCommand.get(id);
    if (!node) {
      node = {
        commandId: id,
        commandType: (entry.commandType as string | null) ?? null,
        actor: (entry.actor as string | null) ?? null,
        aggregateType: String(entry.aggregateType),
        aggregateId: String(entry.aggregateId),
        at: (entry.at as string | null) ?? null,
        undoOf: (entry.undoOf as string | null) ?? null,
        events: [],
      };
      byCommand.set(id, node);
      const cause = readMetadata(event.metadata).causationId;
      if (cause && cause !== id) byCause.set(cause, [...(byCause.get(cause) ?? []), node]);
    }
    node.events.push({ eventId: event.id, type: event.type, revision: event.revision, position: String(entry.position), summary: String(entry.summary ?? ''), caused: [] });
  }
  for (const node of byCommand.values()) {
    for (const event of node.events) event.caused = byCause.get(event.eventId) ?? [];
  }
  const root = byCommand.get(commandId);
  if (!root) throw new ApiError(404, `command ${commandId} has no audited events yet`);
  const inTree = new Set<string>();
  const walk = (node: TraceCommand) => {
    inTree.add(node.commandId);
    node.events.forEach((event) => event.caused.forEach(walk));
  };
  walk(root);
  const eventIds = new Set([...byCommand.values()].flatMap((node) => node.events.map((event) => event.eventId)));
  const hasParent = new Set([...byCause.entries()].filter(([cause]) => eventIds.has(cause)).flatMap(([, nodes]) => nodes.map((node) => node.commandId)));
  const joined = [...byCommand.values()].filter((node) => !inTree.has(node.commandId) && !hasParent.has(node.commandId));
  return { correlationId, truncated: entries.length === MAX_ENTRIES, root, joined };
}

/** The stored events behind audit entries, keyed by `<stream>@<revision>`; one read per stream. */
async function eventsOf(deps: AppDeps, entries: Doc[]): Promise<Map<string, StoredEvent>> {
  const ranges = new Map<string, { from: number; to: number }>();
  for (const entry of entries) {
    if (entry.aggregateType === 'environment') continue;
    const stream = streamName(String(entry.aggregateType), String(entry.aggregateId));
    const revision = Number(entry.revision);
    const range = ranges.get(stream);
    ranges.set(stream, range ? { from: Math.min(range.from, revision), to: Math.max(range.to, revision) } : { from: revision, to: revision });
  }
  const found = new Map<string, StoredEvent>();
  for (const [stream, range] of ranges) {
    const events = await deps.events.readStream(stream, { fromRevision: range.from, maxCount: range.to - range.from + 1 });
    for (const event of events) found.set(`${stream}@${event.revision}`, event);
  }
  return found;
}
