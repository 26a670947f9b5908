import { z } from '@hono/zod-openapi';

// RFC 9457 problem details: every error a client can cause is answered in this shape.
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .passthrough()
  .openapi('Problem');

export type Problem = z.infer<typeof problemSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function problem(
  status: number,
  detail: string,
  extra: { type?: string; errors?: Problem['errors']; headers?: Record<string, string>; [key: string]: unknown } = {},
): Response {
  const { type, headers, ...rest } = extra;
  const body: Problem = {
    type: type ?? `https://agent-ledger.dev/problems/${slug(TITLES[status] ?? 'error')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...rest,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** zod issues → the `errors` member: one entry per problem with its path in the input. */
export function validationErrors(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>, prefix = ''): NonNullable<Problem['errors']> {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
}

/** Response documentation shared by every route in the OpenAPI document. */
export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** The documented outcome of ?consistentWith= when the read model does not reach the position in time. */
export const consistencyTimeoutResponse = {
  ...problemResponse('the read model did not reach consistentWith within 5 s; retry after Retry-After seconds'),
  headers: { 'Retry-After': { required: true, description: 'seconds to wait before retrying', schema: { type: 'string' as const, pattern: '^[0-9]+$' } } },
};
