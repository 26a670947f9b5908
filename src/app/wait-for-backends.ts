import type { Logger } from 'pino';

interface Probe {
  name: string;
  ping(): Promise<void>;
}

/**
 * Resolves once every backend answers, pinging with capped exponential backoff and saying once
 * which one it waits for: a worker or an API started before its database keeps waiting instead
 * of crashing. `signal` stops the wait (shutdown).
 */
export async function waitForBackends(probes: Probe[], logger: Logger, signal?: AbortSignal): Promise<void> {
  for (const probe of probes) {
    let delayMs = 250;
    let warned = false;
    for (;;) {
      if (signal?.aborted) throw new Error('stopped while waiting for backends');
      try {
        await probe.ping();
        if (warned) logger.info({ backend: probe.name }, 'backend reachable again');
        break;
      } catch (error) {
        if (!warned) logger.warn({ backend: probe.name, err: error instanceof Error ? error.message : String(error) }, 'backend unreachable; waiting for it');
        warned = true;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        delayMs = Math.min(delayMs * 2, 10_000);
      }
    }
  }
}
