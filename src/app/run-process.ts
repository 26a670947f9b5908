import { ConfigError } from '../config/env.js';

/**
 * Runs a process entry point: `start` returns how to stop it, which SIGINT and SIGTERM call
 * before exiting; a configuration error is one line on stderr and exit code 2.
 */
export async function runProcess(start: () => Promise<(signal: NodeJS.Signals) => Promise<void>>): Promise<void> {
  try {
    const stop = await start();
    const shutdown = async (signal: NodeJS.Signals) => {
      await stop(signal);
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
