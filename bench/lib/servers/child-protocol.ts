import { z } from 'zod';

// The few IPC messages between the benchmark and a server it runs in a child process.
export const readyMessageSchema = z.object({ type: z.literal('ready'), port: z.number().int().positive() });
export const stopMessageSchema = z.object({ type: z.literal('stop') });

export type ReadyMessage = z.infer<typeof readyMessageSchema>;
export type StopMessage = z.infer<typeof stopMessageSchema>;

/** Child side: tells the parent where the server listens, and stops it when asked or orphaned. */
export function serveUntilStopped(port: number, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await stop();
    process.exit(0);
  };
  process.on('message', (message) => {
    if (stopMessageSchema.safeParse(message).success) void shutdown();
  });
  // A parent that died must not leave the server running.
  process.once('disconnect', () => void shutdown());
  const ready: ReadyMessage = { type: 'ready', port };
  process.send?.(ready);
}
