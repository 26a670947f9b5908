// An unreachable MongoDB must fail fast with BackendUnavailableError (the API answers 503),
// never hang a request. No server is needed: these tests make their own dead endpoints.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../src/backends/errors.js';
import type { ReadStore } from '../../src/readstore/port.js';
import { openMongoReadStore } from '../../src/readstore/mongo/index.js';

const FAST_FAILURE_MS = 5_000;

function listen(server: Server): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address && typeof address === 'object') resolvePort(address.port);
      else reject(new Error('no port'));
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolveClose) => server.close(() => resolveClose()));
}

/** A loopback port that nothing listens on: connections are refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe);
  await close(probe);
  return port;
}

async function failureOf(action: () => Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
  const started = Date.now();
  try {
    await action();
  } catch (error) {
    return { error, elapsedMs: Date.now() - started };
  }
  throw new Error('expected the action to fail');
}

describe('mongodb read store: unreachable server', () => {
  const opened: ReadStore[] = [];
  const servers: Server[] = [];
  const sockets: Socket[] = [];

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    sockets.splice(0).forEach((socket) => socket.destroy());
    await Promise.all(servers.splice(0).map(close));
  });

  async function storeAt(port: number): Promise<ReadStore> {
    const store = await openMongoReadStore({ url: `mongodb://127.0.0.1:${port}/`, database: 'unreachable' });
    opened.push(store);
    return store;
  }

  it('given nothing listens on the port, when pinged, then it throws BackendUnavailableError within seconds', async () => {
    const store = await storeAt(await closedPort());

    const { error, elapsedMs } = await failureOf(() => store.ping());

    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as BackendUnavailableError).backend).toBe('read store');
    expect(elapsedMs).toBeLessThan(FAST_FAILURE_MS);
  });

  it('given nothing listens on the port, when a document is read or written, then each throws BackendUnavailableError', async () => {
    const store = await storeAt(await closedPort());
    const items = store.collection('items');

    const read = await failureOf(() => items.get('a'));
    const write = await failureOf(() => items.put({ id: 'a' }));
    const listing = await failureOf(() => store.listCollections());

    expect(read.error).toBeInstanceOf(BackendUnavailableError);
    expect(write.error).toBeInstanceOf(BackendUnavailableError);
    expect(listing.error).toBeInstanceOf(BackendUnavailableError);
    expect(read.elapsedMs).toBeLessThan(FAST_FAILURE_MS);
  });

  it('given a server that accepts connections but never answers, when pinged, then it throws BackendUnavailableError within seconds', async () => {
    const silent = createServer((socket) => sockets.push(socket));
    servers.push(silent);
    const store = await storeAt(await listen(silent));

    const { error, elapsedMs } = await failureOf(() => store.ping());

    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(elapsedMs).toBeLessThan(FAST_FAILURE_MS);
  });
});

describe('mongodb read store: connection string', () => {
  it('given a URL that is not a MongoDB connection string, when opened, then the error names MONGODB_URL', async () => {
    await expect(openMongoReadStore({ url: 'http://localhost:27017' })).rejects.toThrow(/MONGODB_URL/);
    await expect(openMongoReadStore({ url: '' })).rejects.toThrow(/MONGODB_URL/);
  });
});
