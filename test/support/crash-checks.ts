// Checks made after a process was killed, on the files of its DATA_DIR: every acknowledged
// command is in the log exactly once, and every read model equals a fresh replay of the log.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/index.js';
import { openEmbeddedReadStore } from '../../src/readstore/embedded/index.js';
import { ProjectionService } from '../../src/projections/projection-service.js';
import { allProjections } from '../../src/projections/read-models/index.js';

/** An acknowledged command, by the event it must have appended once: e.g. FeatureCreated in `feature-<id>`. */
export interface Acknowledged {
  stream: string;
  type: string;
}

export interface LogCounts {
  events: number;
  /** Acknowledged commands whose event is not in the log. */
  missing: string[];
  /** Acknowledged commands whose event is in the log more than once. */
  twice: string[];
  /** Event ids found more than once (impossible with the unique index; checked anyway). */
  duplicatedEvents: number;
  /** (command id, event type) pairs appended more than once: a command applied twice. */
  duplicatedCommands: number;
  /** The same, for commands issued by agents. */
  duplicatedAgentCommands: number;
  agentCommands: number;
}

/** Reads the log file directly (read-only), so it checks what is on disk, not what an API answers. */
export function checkLog(dataDir: string, acknowledged: Acknowledged[]): LogCounts {
  const db = new Database(join(dataDir, 'events.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`SELECT id, stream_name AS stream, type, json_extract(metadata, '$.commandId') AS commandId, json_extract(metadata, '$.actor') AS actor FROM events`).all() as Array<{
      id: string;
      stream: string;
      type: string;
      commandId: string | null;
      actor: string | null;
    }>;
    const ids = new Map<string, number>();
    const appended = new Map<string, number>();
    const commands = new Map<string, { count: number; agent: boolean }>();
    for (const row of rows) {
      ids.set(row.id, (ids.get(row.id) ?? 0) + 1);
      appended.set(`${row.stream}/${row.type}`, (appended.get(`${row.stream}/${row.type}`) ?? 0) + 1);
      if (row.commandId === null) continue;
      const key = `${row.commandId}\u0000${row.type}`;
      const seen = commands.get(key) ?? { count: 0, agent: (row.actor ?? '').startsWith('agent:') };
      seen.count++;
      commands.set(key, seen);
    }
    const repeated = [...commands.values()].filter((command) => command.count > 1);
    return {
      events: rows.length,
      missing: acknowledged.map(keyOf).filter((key) => !appended.has(key)),
      twice: acknowledged.map(keyOf).filter((key) => (appended.get(key) ?? 0) > 1),
      duplicatedEvents: [...ids.values()].filter((count) => count > 1).length,
      duplicatedCommands: repeated.length,
      duplicatedAgentCommands: repeated.filter((command) => command.agent).length,
      agentCommands: new Set(rows.filter((row) => (row.actor ?? '').startsWith('agent:')).map((row) => row.commandId)).size,
    };
  } finally {
    db.close();
  }
}

function keyOf(command: Acknowledged): string {
  return `${command.stream}/${command.type}`;
}

export interface ReplayComparison {
  collections: number;
  documents: number;
  /** `collection/id` of each document that differs from the fresh replay (or exists in one only). */
  differences: string[];
}

/**
 * Replays the whole log into a new read store with the same projections and compares every
 * live read model document with it. Processes must have caught up (and be stopped or idle).
 */
export async function compareWithFreshReplay(dataDir: string): Promise<ReplayComparison> {
  const replayDir = mkdtempSync(join(tmpdir(), 'agent-ledger-replay-'));
  const events = openSqliteEventStore({ file: join(dataDir, 'events.db') });
  const current = openEmbeddedReadStore({ file: join(dataDir, 'read-models.db') });
  const fresh = openEmbeddedReadStore({ file: join(replayDir, 'read-models.db') });
  const projections = allProjections();
  const observed = new ProjectionService(events, current, projections, { run: false });
  const replay = new ProjectionService(events, fresh, projections, { run: true });
  try {
    await observed.start();
    await replay.start();
    const head = await events.headPosition();
    if (head !== null && !(await replay.waitForAll(head, 60_000))) throw new Error('the fresh replay did not reach the head');
    const comparison: ReplayComparison = { collections: 0, documents: 0, differences: [] };
    for (const projection of projections) {
      for (const logical of Object.keys(projection.collections)) {
        comparison.collections++;
        const mine = byId(await observed.collection(logical).find({}));
        const theirs = byId(await replay.collection(logical).find({}));
        comparison.documents += theirs.size;
        for (const id of new Set([...mine.keys(), ...theirs.keys()])) {
          if (!isDeepStrictEqual(mine.get(id), theirs.get(id))) comparison.differences.push(`${logical}/${id}`);
        }
      }
    }
    return comparison;
  } finally {
    await replay.stop();
    await observed.stop();
    await fresh.close();
    await current.close();
    await events.close();
    rmSync(replayDir, { recursive: true, force: true });
  }
}

function byId(docs: Array<{ id: string }>): Map<string, unknown> {
  return new Map(docs.map((doc) => [doc.id, doc]));
}
