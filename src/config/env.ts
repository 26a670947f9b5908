import { z } from 'zod';

// Environment variables, validated once at start. A bad value stops the process with one line
// naming the variable, rather than failing later in some adapter.
const envSchema = z.object({
  EVENTSTORE_URL: z
    .string()
    .regex(/^esdb(\+discover)?:\/\/.+/, 'must be an esdb:// or esdb+discover:// connection string')
    .optional(),
  MONGODB_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/.+/, 'must be a mongodb:// connection string')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  RATE_LIMIT_RPS: z.coerce.number().min(0).default(200),
  RATE_LIMIT_BURST: z.coerce.number().min(0).default(400),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  // Inbound CI webhooks: each endpoint is off until its secret is set.
  GITHUB_WEBHOOK_SECRET: z.string().min(1).optional(),
  GITLAB_WEBHOOK_TOKEN: z.string().min(1).optional(),
  /** Snapshot an aggregate each time its stream passes a multiple of this many events; 0 turns snapshots off. */
  SNAPSHOT_EVERY: z.coerce.number().int().min(0).default(100),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // Empty strings mean "unset", as in most shells' `VAR= cmd`.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ConfigError(`Invalid ${String(issue.path[0])}: ${issue.message}`);
}
