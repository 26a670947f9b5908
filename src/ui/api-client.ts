import type { Session } from './session.js';

export type Fetch = (request: Request) => Response | Promise<Response>;

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
}

/**
 * Requests to the API made for the signed-in user, in-process, with their bearer token: the API's
 * own middleware authenticates, checks the role and validates, exactly as for any other client.
 */
export function apiClient(fetch: Fetch, origin: string, session: Session) {
  return async function api<T = any>(path: string, init: { method?: string; body?: unknown } = {}): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${session.token}` };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(
      new Request(`${origin}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }),
    );
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  };
}

export type Api = ReturnType<typeof apiClient>;
