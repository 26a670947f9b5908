import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { serveUntilStopped } from './child-protocol.js';

// The baseline: the same HTTP stack with no auth, validation, event store or projections.
const app = new Hono();
app.post('/echo', async (c) => {
  const body: unknown = await c.req.json();
  return c.json({ received: body }, 200);
});

const server = await new Promise<ServerType>((resolve) => {
  const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
});
const address = server.address();
if (typeof address !== 'object' || address === null) throw new Error('the baseline server has no TCP address');
serveUntilStopped(address.port, () => new Promise<void>((resolve) => server.close(() => resolve())));
