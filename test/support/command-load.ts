// Command load against a running server for crash tests: clients create features as fast as
// they can and record what was acknowledged (201), which must then be in the log exactly once.
import type { Acknowledged } from './crash-checks.js';

export async function call(url: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** An approved requirement with two acceptance criteria, for features to name. */
export async function approvedRequirement(url: string, token: string): Promise<string> {
  const requirement = await call(url, token, 'POST', '/api/requirements', {
    title: 'Durability', description: '', priority: 'high', acceptanceCriteria: ['nothing lost', 'nothing twice'],
  });
  if (requirement.status !== 201) throw new Error(`could not create the requirement: ${requirement.status}`);
  await call(url, token, 'POST', `/api/requirements/${requirement.body.id}/approve`);
  return requirement.body.id as string;
}

export interface CommandLoad {
  acknowledged: Acknowledged[];
  /** Feature ids acknowledged, in order. */
  features: string[];
  /** Requests that failed without an answer (the server was killed under them). */
  unanswered: number;
  /** Points the clients at another URL (a restarted server). */
  retarget(url: string): void;
  stop(): Promise<void>;
}

/** `connections` clients creating features until stopped; a refused connection is retried after a pause. */
export function startCommandLoad(options: { url: string; token: string; requirementId: string; connections: number; label?: string }): CommandLoad {
  let url = options.url;
  let stopped = false;
  const acknowledged: Acknowledged[] = [];
  const features: string[] = [];
  let unanswered = 0;
  const clients = Array.from({ length: options.connections }, async (_, client) => {
    for (let n = 0; !stopped; n++) {
      try {
        const created = await call(url, options.token, 'POST', '/api/features', {
          requirementId: options.requirementId, name: `${options.label ?? 'f'}-${client}-${n}`, complexityPoints: 1, developer: 'dee',
        });
        if (created.status === 201) {
          acknowledged.push({ stream: `feature-${created.body.id}`, type: 'FeatureCreated' });
          features.push(created.body.id as string);
        }
      } catch {
        unanswered++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  });
  return {
    acknowledged,
    features,
    get unanswered() {
      return unanswered;
    },
    retarget(next: string) {
      url = next;
    },
    async stop() {
      stopped = true;
      await Promise.all(clients);
    },
  };
}

export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000, pollMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
