import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadEnv } from '../config/env.js';
import { resolveAuthSecret } from '../config/auth-secret.js';
import { issueToken, MAX_TOKEN_LIFETIME_SECONDS } from '../auth/tokens.js';
import { roleSchema } from '../auth/roles.js';

// npm run token -- --sub alice --role engineer [--ttl 3600]
const argsSchema = z.object({
  sub: z.string().min(1, '--sub is required').max(200),
  role: roleSchema,
  ttl: z.coerce.number().int().positive().max(MAX_TOKEN_LIFETIME_SECONDS, 'a token lives at most 30 days').default(8 * 3600),
});

const USAGE = `usage: npm run token -- --sub <name> [--role viewer|engineer|admin] [--ttl seconds]

Prints a bearer token (HS256 JWT) for the API and the console, signed with AUTH_SECRET, or when
that is unset with the secret generated in DATA_DIR (default ./data) by the server.
  --sub   the actor's name (required)
  --role  viewer (reads), engineer (+ commands and undo) or admin (+ projections); default engineer
  --ttl   lifetime in seconds; default 28800 (8 hours)`;

const OPTIONS = { sub: { type: 'string' }, role: { type: 'string', default: 'engineer' }, ttl: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>;
try {
  parsed = parseArgs({ options: OPTIONS });
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const { help: _help, ...values } = parsed.values;
const args = argsSchema.safeParse(values);
if (!args.success) {
  console.error(`${USAGE}\n\n${args.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  process.exit(2);
}
const env = loadEnv();
const secret = resolveAuthSecret(env.AUTH_SECRET, env.DATA_DIR);
console.log(await issueToken(secret, args.data.sub, args.data.role, args.data.ttl));
