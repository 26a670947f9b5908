// Starts the FerretDB built by scripts/build-ferretdb.sh on a free loopback port with a throwaway
// SQLite directory, for the MongoDB row of the rebuild benchmark (MONGODB_URL wins when set).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';

const binary = resolve(import.meta.dirname, '../tools/ferretdb/bin/ferretdb');

export interface MongoServer {
  url: string;
  description: string;
  stop(): Promise<void>;
}

/** Null when there is neither MONGODB_URL nor a FerretDB binary. */
export async function startMongoForBench(): Promise<MongoServer | null> {
  if (process.env.MONGODB_URL) return { url: process.env.MONGODB_URL, description: 'MongoDB (MONGODB_URL)', stop: async () => {} };
  if (!existsSync(binary)) return null;
  const dir = mkdtempSync(join(tmpdir(), 'agent-ledger-bench-ferretdb-'));
  const port = await freePort();
  const child = spawn(binary, ['--listen-addr', `127.0.0.1:${port}`, '--sqlite-dir', join(dir, 'sqlite'), '--log-level', 'error'], { stdio: 'ignore' });
  const url = `mongodb://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 500 });
    try {
      await client.db('admin').command({ ping: 1 });
      return { url, description: 'FerretDB 1.x (SQLite backend)', stop };
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        await stop();
        throw new Error(`FerretDB did not start: ${error instanceof Error ? error.message : String(error)}`);
      }
      await new Promise((wake) => setTimeout(wake, 100));
    } finally {
      await client.close();
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no free port'))));
    });
  });
}
