import type { Env } from '../../config/env.js';

/** The secrets the vendors sign deliveries with. An unset secret turns that endpoint off (404). */
export interface InboundSettings {
  githubSecret?: string;
  gitlabToken?: string;
}

export function inboundSettings(env: Pick<Env, 'GITHUB_WEBHOOK_SECRET' | 'GITLAB_WEBHOOK_TOKEN'>): InboundSettings {
  return { githubSecret: env.GITHUB_WEBHOOK_SECRET, gitlabToken: env.GITLAB_WEBHOOK_TOKEN };
}
