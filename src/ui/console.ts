import type { Context, MiddlewareHandler } from 'hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { csrf } from 'hono/csrf';
import { z } from 'zod';
import type { AppDeps } from '../api/deps.js';
import type { ApiEnv } from '../api/request-context.js';
import { roleSchema } from '../auth/roles.js';
import { issueToken, verifyToken } from '../auth/tokens.js';
import { problem } from '../api/problem.js';
import { apiClient, type Api } from './api-client.js';
import { endSession, sessionReader, startSession, type Session } from './session.js';
import { serveAsset } from './assets.js';
import { registerDocs } from './docs.js';
import { signInPage } from './pages/sign-in.js';
import { registerConsolePages } from './pages/index.js';

export type ConsoleEnv = ApiEnv & { Variables: { session: Session; api: Api } };

const localSignInForm = z.object({ sub: z.string().trim().min(1).max(200), role: roleSchema });

/**
 * The web console at /ui: server-rendered pages over the API. Every read and action goes through
 * the API routes in-process with the user's token (kept in an HttpOnly, SameSite=Strict cookie),
 * so roles, validation and errors are the API's own. Non-GET requests must come from this origin.
 */
export function registerConsole(app: OpenAPIHono<ApiEnv>, deps: AppDeps): void {
  const readSession = sessionReader(deps.authSecret);
  const localSignIn = deps.localSignIn ?? false;

  app.get('/', (c) => c.redirect('/ui'));
  registerDocs(app);
  app.use('/ui/*', csrf());
  app.get('/ui/assets/:file', (c) => serveAsset(c, c.req.param('file')));

  app.get('/ui/sign-in', (c) => c.html(signInPage({ localSignIn })));
  app.post('/ui/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    const claims = token ? await verifyToken(deps.authSecret, token) : null;
    if (!claims) return c.html(signInPage({ localSignIn, error: 'that token is invalid or expired' }), 401);
    startSession(c, token, claims);
    return c.redirect('/ui', 303);
  });
  app.post('/ui/sign-in/local', async (c) => {
    if (!localSignIn) return problem(404, 'local sign-in is only offered on the embedded default with a generated secret');
    const form = localSignInForm.safeParse(await c.req.parseBody());
    if (!form.success) return c.html(signInPage({ localSignIn, error: 'a subject (1..200 characters) and a role are required' }), 400);
    const token = await issueToken(deps.authSecret, form.data.sub, form.data.role);
    // The session keeps the claims the token carries, expiry included.
    startSession(c, token, (await verifyToken(deps.authSecret, token))!);
    return c.redirect('/ui', 303);
  });
  app.post('/ui/sign-out', (c) => {
    endSession(c);
    return c.redirect('/ui/sign-in', 303);
  });

  const signedIn: MiddlewareHandler = async (c, next) => {
    const session = await readSession(c);
    if (!session) {
      if (c.req.path.startsWith('/ui/api/')) return problem(401, 'sign in to the console first');
      return c.redirect('/ui/sign-in', 303);
    }
    c.set('session', session);
    c.set('api', apiClient(app.fetch, new URL(c.req.url).origin, session));
    await next();
  };
  app.use('/ui', signedIn);
  app.use('/ui/*', async (c, next) => (c.req.path.startsWith('/ui/assets/') || c.req.path.startsWith('/ui/sign-') ? next() : signedIn(c, next)));

  // The console's scripts reach the API through here, authenticated by the cookie.
  app.all('/ui/api/*', (c) => proxyToApi(app, c as unknown as Context<ConsoleEnv>));

  registerConsolePages(app as unknown as OpenAPIHono<ConsoleEnv>);
}

const FORWARDED = ['content-type', 'if-match', 'idempotency-key', 'last-event-id', 'accept', 'x-correlation-id'];

async function proxyToApi(app: OpenAPIHono<ApiEnv>, c: Context<ConsoleEnv>): Promise<Response> {
  const url = new URL(c.req.url);
  url.pathname = url.pathname.replace(/^\/ui\/api\//, '/api/');
  const headers = new Headers({ authorization: `Bearer ${c.get('session').token}` });
  for (const name of FORWARDED) {
    const value = c.req.header(name);
    if (value !== undefined) headers.set(name, value);
  }
  const method = c.req.method;
  const body = method === 'GET' || method === 'HEAD' ? undefined : await c.req.arrayBuffer();
  return app.fetch(new Request(url, { method, headers, body, signal: c.req.raw.signal }));
}
