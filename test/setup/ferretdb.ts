// Vitest global setup: gives test files a MongoDB-compatible server as inject('mongodbUrl').
// MONGODB_URL wins when set; otherwise the embedded FerretDB built by
// scripts/build-ferretdb.sh is started on a free loopback port with a throwaway SQLite
// directory; otherwise the URL is null and MongoDB-backed tests skip themselves.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A MongoDB connection string, or null when no server is available. */
    mongodbUrl: string | null;
  }
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ferretdbBinary = join(repoRoot, 'tools/ferretdb/bin/ferretdb');

const STARTUP_DEADLINE_MS = 30_000;
const STOP_GRACE_MS = 5_000;
/** Enough of FerretDB's stderr to explain a failed start without flooding the output. */
const STDERR_TAIL_CHARS = 4_000;

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.MONGODB_URL) {
    project.provide('mongodbUrl', process.env.MONGODB_URL);
    process.env.TEST_MONGODB_URL = process.env.MONGODB_URL;
    return undefined;
  }
  if (!existsSync(ferretdbBinary)) {
    project.provide('mongodbUrl', null);
    return undefined;
  }

  const server = await startFerretdb();
  project.provide('mongodbUrl', server.url);
  process.env.TEST_MONGODB_URL = server.url;
  return server.stop;
}

interface RunningFerretdb {
  url: string;
  stop(): Promise<void>;
}

async function startFerretdb(): Promise<RunningFerretdb> {
  const dataDir = await mkdtemp(join(tmpdir(), 'agent-ledger-ferretdb-'));
  const port = await freeLoopbackPort();
  const url = `mongodb://127.0.0.1:${port}/`;
  const child = spawn(
    ferretdbBinary,
    ['--listen-addr', `127.0.0.1:${port}`, '--sqlite-dir', join(dataDir, 'sqlite'), '--log-level', 'error'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderrTail = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
  });

  const stop = async (): Promise<void> => {
    await stopProcess(child);
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitUntilPingable(url, child);
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`FerretDB did not start: ${reason}\n${stderrTail}`, { cause: error });
  }
  return { url, stop };
}

/** Asks the OS for a free port; FerretDB binds it a moment later (a small, accepted race). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not get a free port'));
      });
    });
  });
}

async function waitUntilPingable(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the process exited (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
    try {
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error;
      await new Promise((wake) => setTimeout(wake, 100));
    } finally {
      await client.close();
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`no answer to ping within ${STARTUP_DEADLINE_MS} ms (${reason})`);
}

/** SIGTERM lets FerretDB close its SQLite files; SIGKILL if it has not exited in time. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGTERM');
  let graceTimer: NodeJS.Timeout | undefined;
  const stoppedInTime = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>((wake) => {
      graceTimer = setTimeout(() => wake(false), STOP_GRACE_MS);
    }),
  ]);
  clearTimeout(graceTimer);
  if (!stoppedInTime) {
    child.kill('SIGKILL');
    await exited;
  }
}
