import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from '../../src/eventstore/sqlite/index.js';

const CHILD_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'sqlite-durability-child.ts');
const ACKS_BEFORE_KILL = 3_000;

interface Ack {
  stream: string;
  id: string;
  revision: number;
  position: string;
}

/** Runs the appending child until it has acknowledged enough appends, then kills it with SIGKILL. */
async function appendUntilKilled(file: string): Promise<{ acks: Ack[]; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT, file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acks: Ack[] = [];
  let unfinishedLine = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (unfinishedLine + chunk.toString()).split('\n');
    // A line cut short by the kill was never fully reported; it is not an acknowledgement we saw.
    unfinishedLine = lines.pop() ?? '';
    for (const line of lines) acks.push(JSON.parse(line) as Ack);
    if (acks.length >= ACKS_BEFORE_KILL && child.exitCode === null && !child.killed) child.kill('SIGKILL');
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  return { acks, signal, stderr };
}

describe('sqlite event store durability', () => {
  let directory: string;

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('given a process killed with SIGKILL while appending, when the file is reopened, then every acknowledged event is there', async () => {
    directory = await mkdtemp(join(tmpdir(), 'agent-ledger-durability-'));
    const file = join(directory, 'events.sqlite');

    const { acks, signal, stderr } = await appendUntilKilled(file);

    expect(stderr).toBe('');
    expect(signal).toBe('SIGKILL');
    expect(acks.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
    const store = openSqliteEventStore({ file });
    try {
      const logged = new Map((await store.readAll()).map((event) => [event.id, event]));
      const missing = acks.filter((ack) => {
        const event = logged.get(ack.id);
        return event?.streamName !== ack.stream || event.revision !== ack.revision || String(event.position) !== ack.position;
      });
      expect(missing).toEqual([]);
      const positions = [...logged.values()].map((event) => event.position);
      expect(positions[positions.length - 1]! - positions[0]! + 1n).toBe(BigInt(positions.length));
    } finally {
      await store.close();
    }
  }, 60_000);
});
