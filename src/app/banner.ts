import pino from 'pino';
import type { Env } from '../config/env.js';

// The start and stop lines are shown whatever LOG_LEVEL says: they tell where the API is.
// In a terminal they are plain text for a person; elsewhere one JSON log line each, like the rest.
const announcer = pino({ level: 'info' });

function tokenHint(env: Env): string {
  const command = 'npm run token -- --sub alice --role engineer';
  return env.AUTH_SECRET ? `AUTH_SECRET=<the same secret> ${command}` : `DATA_DIR=${env.DATA_DIR} ${command}`;
}

export function announceListening(url: string, env: Env, terminal = process.stdout.isTTY === true): void {
  if (terminal) {
    console.log(`agent-ledger listening on ${url}  (console: ${url}/ui, API docs: ${url}/docs)`);
    console.log(`get a token:  ${tokenHint(env)}`);
    return;
  }
  announcer.info({ url, console: `${url}/ui`, docs: `${url}/docs`, dataDir: env.DATA_DIR, tokenHint: tokenHint(env) }, `agent-ledger listening on ${url}`);
}

export function announceStopped(signal: string, terminal = process.stdout.isTTY === true): void {
  if (terminal) console.log(`agent-ledger stopped (${signal})`);
  else announcer.info({ signal }, 'agent-ledger stopped');
}
