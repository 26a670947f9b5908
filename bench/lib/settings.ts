import { z } from 'zod';

// Defaults keep a whole `npm run bench` around one minute on a 2-core machine.
const settingsSchema = z.object({
  BENCH_SECONDS: z.coerce.number().positive().default(10),
  BENCH_WARMUP_SECONDS: z.coerce.number().min(0).default(2),
  BENCH_CONNECTIONS: z.coerce.number().int().positive().default(50),
  BENCH_FEATURES: z.coerce.number().int().positive().default(200),
  /** Share of the load that creates features; the rest updates the seeded ones. */
  BENCH_CREATE_SHARE: z.coerce.number().min(0).max(1).default(0.1),
  /** Length of the one-connection run that measures latency with nothing queued (0 skips it). */
  BENCH_SINGLE_SECONDS: z.coerce.number().min(0).default(5),
});

export type BenchSettings = z.infer<typeof settingsSchema>;

export function loadBenchSettings(source: NodeJS.ProcessEnv = process.env): BenchSettings {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([key, value]) => key.startsWith('BENCH_') && value !== ''));
  const parsed = settingsSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`Invalid ${String(issue.path[0])}: ${issue.message}`);
}
