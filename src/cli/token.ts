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

const { values } = parseArgs({
  options: { sub: { type: 'string' }, role: { type: 'string', default: 'engineer' }, ttl: { type: 'string' } },
});
const args = argsSchema.safeParse(values);
if (!args.success) {
  console.error(`usage: npm run token -- --sub <name> --role viewer|engineer|admin [--ttl seconds]\n${args.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  process.exit(2);
}
const env = loadEnv();
const secret = resolveAuthSecret(env.AUTH_SECRET, env.DATA_DIR);
console.log(await issueToken(secret, args.data.sub, args.data.role, args.data.ttl));
