import { z } from 'zod';

// Just enough of the command response (SPEC §5) to chain the seeding commands.
const commandResponseSchema = z.object({ id: z.string(), revision: z.number(), position: z.string() });

export type CommandResponse = z.infer<typeof commandResponseSchema>;

const REQUEST_TIMEOUT_MS = 30_000;

/** Sends commands to a running agent-ledger API as one engineer. */
export class LedgerClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  get authorization(): string {
    return `Bearer ${this.token}`;
  }

  async command(method: 'POST' | 'PATCH', path: string, body?: unknown): Promise<CommandResponse> {
    const headers: Record<string, string> = { authorization: this.authorization };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      // A server that hangs should fail the benchmark, not stall it.
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return commandResponseSchema.parse(JSON.parse(text));
  }
}
