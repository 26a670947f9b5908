import { ConfigError } from '../config/env.js';

/**
 * Runs a process entry point: `start` returns how to stop it, which SIGINT and SIGTERM call
 * before exiting; a configuration error is one line on stderr and exit code 2.
 *
 * The signal handlers are in place before `start` runs: `start` announces the process (its URL),
 * and whoever reads that may signal at once. A signal that arrives while `start` is still running
 * (waiting for a backend, say) ends the process as the signal would without a handler.
 */
export async function runProcess(start: () => Promise<(signal: NodeJS.Signals) => Promise<void>>): Promise<void> {
  let stop: ((signal: NodeJS.Signals) => Promise<void>) | undefined;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (!stop) {
      process.removeListener('SIGINT', shutdown);
      process.removeListener('SIGTERM', shutdown);
      process.kill(process.pid, signal);
      return;
    }
    await stop(signal);
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  try {
    stop = await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
