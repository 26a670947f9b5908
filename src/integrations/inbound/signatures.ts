import { createHmac, timingSafeEqual } from 'node:crypto';

/** Compares in constant time; strings of different lengths are unequal without a byte compare. */
export function constantTimeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** GitHub signs the raw body: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`. */
export function verifyGithubSignature(rawBody: string, header: string | undefined, secret: string): boolean {
  if (header === undefined) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
  return constantTimeEqual(header.trim().toLowerCase(), expected);
}

/** GitLab sends the configured secret token as it is, in `X-Gitlab-Token`. */
export function verifyGitlabToken(header: string | undefined, token: string): boolean {
  return header !== undefined && constantTimeEqual(header, token);
}
